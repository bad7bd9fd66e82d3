/**
 * Strict, canonical base64 (RFC 4648 §4, padded) and base64url (§5, unpadded), from
 * `@scure/base`: no whitespace, no foreign alphabet, exact padding, zero trailing bits, like the
 * Rust `base64` crate's `STANDARD` and `URL_SAFE_NO_PAD` engines (Node's `Buffer` silently skips
 * junk, so it is never used to decode). Decoding failures become an {@link AgentIdentityError}
 * with the caller's code; scure's own error is kept as the `cause` (except for private keys).
 */
import { base64, base64urlnopad } from "@scure/base";
import { AgentIdentityError, type AgentIdentityErrorCode } from "../agent-identity-error.js";

/**
 * Encoding has exactly one output for any bytes, so Node's `Buffer` (native, about 8x faster than
 * scure's JavaScript on the per-request header path) is used where it exists; scure elsewhere.
 */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

function bufferView(bytes: Uint8Array): Buffer {
  return NodeBuffer!.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Standard alphabet with `=` padding. */
export function encodeBase64(bytes: Uint8Array): string {
  return NodeBuffer === undefined ? base64.encode(bytes) : bufferView(bytes).toString("base64");
}

/** URL-safe alphabet without padding. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return NodeBuffer === undefined
    ? base64urlnopad.encode(bytes)
    : bufferView(bytes).toString("base64url");
}

function decodeWith(
  codec: { decode(input: string): Uint8Array },
  input: string,
  code: AgentIdentityErrorCode,
  message: string,
): Uint8Array {
  try {
    return codec.decode(input);
  } catch (cause) {
    // scure's message may quote one offending character; for a private key even that stays out.
    throw new AgentIdentityError(
      code,
      message,
      code === "invalid_private_key_base64" ? {} : { cause },
    );
  }
}

/**
 * Decodes canonical padded standard base64.
 *
 * @throws {AgentIdentityError} with `code` and `message` for anything else.
 */
export function decodeBase64(
  input: string,
  code: AgentIdentityErrorCode,
  message: string,
): Uint8Array {
  return decodeWith(base64, input, code, message);
}

/**
 * Decodes canonical unpadded base64url.
 *
 * @throws {AgentIdentityError} with `code` and `message` for anything else.
 */
export function decodeBase64Url(
  input: string,
  code: AgentIdentityErrorCode,
  message: string,
): Uint8Array {
  return decodeWith(base64urlnopad, input, code, message);
}

import { AgentIdentityError } from "./agent-identity-error.js";
import { decodeBase64, encodeBase64 } from "./internal/base64.js";
import { requireBytes, requireString } from "./internal/validate.js";

const KEY_TYPE = "ssh-ed25519";
const KEY_TYPE_BYTES = new TextEncoder().encode(KEY_TYPE);
/** u32be(11) "ssh-ed25519" u32be(32) key */
const BLOB_LENGTH = 4 + KEY_TYPE_BYTES.length + 4 + 32;
/** Longest accepted OpenSSH public key line (type, blob and an optional comment). */
const MAX_SSH_PUBLIC_KEY_LENGTH = 4_096;

/**
 * Encodes a raw 32-byte Ed25519 public key as an OpenSSH public key line,
 * `"ssh-ed25519 " + base64(u32be(11) "ssh-ed25519" u32be(32) key)`, with no comment.
 *
 * @throws {AgentIdentityError} `invalid_argument` unless `publicKey` is a 32-byte `Uint8Array`.
 * @example
 * ```ts
 * import { encodeSshEd25519PublicKey, verifyingKeyFromPrivateKeyPkcs8Base64 } from "@codex/agent-identity";
 * const ssh = encodeSshEd25519PublicKey(verifyingKeyFromPrivateKeyPkcs8Base64(stored));
 * // "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI..."
 * ```
 */
export function encodeSshEd25519PublicKey(publicKey: Uint8Array): string {
  const key = requireBytes(publicKey, "publicKey", 32);
  const blob = new Uint8Array(BLOB_LENGTH);
  const view = new DataView(blob.buffer);
  view.setUint32(0, KEY_TYPE_BYTES.length);
  blob.set(KEY_TYPE_BYTES, 4);
  view.setUint32(4 + KEY_TYPE_BYTES.length, 32);
  blob.set(key, 8 + KEY_TYPE_BYTES.length);
  return `${KEY_TYPE} ${encodeBase64(blob)}`;
}

/**
 * Decodes an OpenSSH `ssh-ed25519` public key line (as produced by
 * {@link encodeSshEd25519PublicKey}, optionally followed by one space and a comment) to the raw
 * 32-byte key. The base64 must be canonical and the blob exactly the Ed25519 layout.
 *
 * @throws {AgentIdentityError} `invalid_public_key` for any other form; `invalid_argument` or
 *   `input_too_large` for a non-string or oversized value.
 * @example
 * ```ts
 * import { decodeSshEd25519PublicKey } from "@codex/agent-identity";
 * const raw = decodeSshEd25519PublicKey(registration.public_key); // Uint8Array(32)
 * ```
 */
export function decodeSshEd25519PublicKey(publicKeySsh: string): Uint8Array {
  const line = requireString(publicKeySsh, "publicKeySsh", MAX_SSH_PUBLIC_KEY_LENGTH);
  const MESSAGE = "public key is not a valid ssh-ed25519 key";
  const invalid = () => new AgentIdentityError("invalid_public_key", MESSAGE);
  if (!line.startsWith(`${KEY_TYPE} `)) throw invalid();
  const rest = line.slice(KEY_TYPE.length + 1);
  const space = rest.indexOf(" ");
  const encoded = space === -1 ? rest : rest.slice(0, space);
  if (space !== -1) {
    const comment = rest.slice(space + 1);
    // A comment is free text on the same line: non-empty, no control characters.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    if (comment.length === 0 || /[\u0000-\u001f\u007f]/.test(comment)) throw invalid();
  }
  const blob = decodeBase64(encoded, "invalid_public_key", MESSAGE);
  if (blob.length !== BLOB_LENGTH) throw invalid();
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (view.getUint32(0) !== KEY_TYPE_BYTES.length) throw invalid();
  for (let i = 0; i < KEY_TYPE_BYTES.length; i++) {
    if (blob[4 + i] !== KEY_TYPE_BYTES[i]) throw invalid();
  }
  if (view.getUint32(4 + KEY_TYPE_BYTES.length) !== 32) throw invalid();
  return blob.slice(8 + KEY_TYPE_BYTES.length);
}

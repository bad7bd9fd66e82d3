import { randomBytes as nodeRandomBytes } from "node:crypto";
import { AgentIdentityError } from "../agent-identity-error.js";

/** A source of cryptographically secure random bytes; injectable for deterministic tests. */
export type RandomBytesSource = (length: number) => Uint8Array;

/** The default source: the operating system CSPRNG through `node:crypto`. */
export const systemRandomBytes: RandomBytesSource = (length) => {
  const buffer = nodeRandomBytes(length);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};

/**
 * Draws `length` bytes from `source` (a copy), turning any failure or wrong-length answer into a
 * `random_generation_failed` error carrying `message`.
 */
export function drawRandomBytes(
  source: RandomBytesSource | undefined,
  length: number,
  message: string,
): Uint8Array {
  let bytes: unknown;
  try {
    bytes = (source ?? systemRandomBytes)(length);
  } catch (cause) {
    throw new AgentIdentityError("random_generation_failed", message, { cause });
  }
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new AgentIdentityError("random_generation_failed", message);
  }
  return bytes.slice();
}

/** Validates an optional `randomBytes` option. */
export function optionalRandomSource(value: unknown): RandomBytesSource | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function") {
    throw new AgentIdentityError("invalid_argument", "options.randomBytes must be a function");
  }
  return value as RandomBytesSource;
}

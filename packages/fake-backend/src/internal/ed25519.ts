import { createPublicKey, verify } from "node:crypto";

const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** Strict standard base64 (padding required, canonical): decoded bytes or undefined. */
export function decodeCanonicalBase64(value: string): Buffer | undefined {
  if (value === "" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0)
    return undefined;
  const bytes = Buffer.from(value, "base64");
  return bytes.toString("base64") === value ? bytes : undefined;
}

/**
 * Verifies a standard-base64 Ed25519 signature over the UTF-8 bytes of `message` with a raw
 * public key, through node:crypto (SPKI DER = `302a300506032b6570032100 || key`).
 */
export function verifyEd25519(
  publicKey: Uint8Array,
  message: string,
  signatureBase64: string,
): boolean {
  const signature = decodeCanonicalBase64(signatureBase64);
  if (signature === undefined || signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_PREFIX, publicKey]),
      format: "der",
      type: "spki",
    });
    return verify(null, Buffer.from(message, "utf8"), key, signature);
  } catch {
    return false;
  }
}

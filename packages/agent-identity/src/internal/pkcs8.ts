/**
 * The stored private-key forms, PKCS#8 (RFC 5208/5958/8410) DER of an Ed25519 key:
 *
 * ```text
 * v1, 48 bytes (what this package writes):
 * 30 2e                      SEQUENCE (46)
 *   02 01 00                 INTEGER 0 (v1)
 *   30 05 06 03 2b 65 70     AlgorithmIdentifier { id-Ed25519 }, parameters absent
 *   04 22 04 20 <32 bytes>   OCTET STRING { CurvePrivateKey OCTET STRING (seed) }
 *
 * v2, 83 bytes (what ed25519-dalek's `to_pkcs8_der` writes, so what the Rust crate stores):
 * 30 51 02 01 01 30 05 06 03 2b 65 70 04 22 04 20 <seed> 81 21 00 <32-byte public key>
 * ```
 *
 * Everything else is refused before any bytes reach a crypto library: OpenSSL (and so
 * `node:crypto`) accepts forms the Rust crate refuses (trailing bytes, other versions, X25519 or
 * Ed448 keys). The caller checks that a v2 public key is the seed's own (the Rust crate does).
 */

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** The 16 fixed header bytes in front of the 32-byte seed. */
export const ED25519_PKCS8_V1_PREFIX: Uint8Array = fromHex("302e020100300506032b657004220420");

/** Total DER length of the accepted form. */
export const ED25519_PKCS8_V1_LENGTH = 48;

/** Same layout for X25519 (OID 1.3.101.110); used only to hand a raw secret to `node:crypto`. */
const X25519_PKCS8_V1_PREFIX: Uint8Array = fromHex("302e020100300506032b656e04220420");

/** SubjectPublicKeyInfo header for a raw 32-byte Ed25519 public key. */
const ED25519_SPKI_PREFIX: Uint8Array = fromHex("302a300506032b6570032100");

/** SubjectPublicKeyInfo header for a raw 32-byte X25519 public key. */
const X25519_SPKI_PREFIX: Uint8Array = fromHex("302a300506032b656e032100");

/** The v2 header: `SEQUENCE (81)`, version 1, the same AlgorithmIdentifier and seed wrapper. */
const ED25519_PKCS8_V2_PREFIX: Uint8Array = fromHex("3051020101300506032b657004220420");

/** `[1] IMPLICIT BIT STRING (33)`, no unused bits, in front of the v2 public key. */
const ED25519_PKCS8_V2_PUBLIC_KEY_HEADER: Uint8Array = fromHex("812100");

/** Total DER length of the v2 form. */
export const ED25519_PKCS8_V2_LENGTH = 83;

/** A parsed stored key: copies of the seed and, for v2, of the embedded public key. */
export interface ParsedEd25519Pkcs8 {
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array | undefined;
}

function startsWith(der: Uint8Array, at: number, expected: Uint8Array): boolean {
  for (let i = 0; i < expected.length; i++) {
    if (der[at + i] !== expected[i]) return false;
  }
  return true;
}

/** Parses exactly the v1 or v2 form; `undefined` for any other bytes. */
export function parseEd25519Pkcs8(der: Uint8Array): ParsedEd25519Pkcs8 | undefined {
  const seedAt = ED25519_PKCS8_V1_PREFIX.length;
  const seedEnd = seedAt + 32;
  if (der.length === ED25519_PKCS8_V1_LENGTH && startsWith(der, 0, ED25519_PKCS8_V1_PREFIX)) {
    return { seed: der.slice(seedAt, seedEnd), publicKey: undefined };
  }
  if (
    der.length === ED25519_PKCS8_V2_LENGTH &&
    startsWith(der, 0, ED25519_PKCS8_V2_PREFIX) &&
    startsWith(der, seedEnd, ED25519_PKCS8_V2_PUBLIC_KEY_HEADER)
  ) {
    const publicKeyAt = seedEnd + ED25519_PKCS8_V2_PUBLIC_KEY_HEADER.length;
    return { seed: der.slice(seedAt, seedEnd), publicKey: der.slice(publicKeyAt) };
  }
  return undefined;
}

function withPrefix(prefix: Uint8Array, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix, 0);
  out.set(body, prefix.length);
  return out;
}

/** PKCS#8 v1 DER for a 32-byte Ed25519 seed. */
export function ed25519Pkcs8FromSeed(seed: Uint8Array): Uint8Array {
  return withPrefix(ED25519_PKCS8_V1_PREFIX, seed);
}

/** PKCS#8 v1 DER for a 32-byte X25519 secret. */
export function x25519Pkcs8FromSecret(secret: Uint8Array): Uint8Array {
  return withPrefix(X25519_PKCS8_V1_PREFIX, secret);
}

/** SPKI DER for a raw Ed25519 public key. */
export function ed25519SpkiFromPublicKey(publicKey: Uint8Array): Uint8Array {
  return withPrefix(ED25519_SPKI_PREFIX, publicKey);
}

/** SPKI DER for a raw X25519 public key. */
export function x25519SpkiFromPublicKey(publicKey: Uint8Array): Uint8Array {
  return withPrefix(X25519_SPKI_PREFIX, publicKey);
}

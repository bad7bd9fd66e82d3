/**
 * The one stored private-key form: PKCS#8 v1 (RFC 5208/8410) DER of an Ed25519 key without the
 * optional public key, exactly 48 bytes:
 *
 * ```text
 * 30 2e                      SEQUENCE (46)
 *   02 01 00                 INTEGER 0 (v1)
 *   30 05 06 03 2b 65 70     AlgorithmIdentifier { id-Ed25519 }, parameters absent
 *   04 22 04 20 <32 bytes>   OCTET STRING { CurvePrivateKey OCTET STRING (seed) }
 * ```
 *
 * Everything else is refused before any bytes reach a crypto library: OpenSSL (and so
 * `node:crypto`) accepts forms the Rust crate refuses (trailing bytes, other versions, X25519 or
 * Ed448 keys).
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

/** Returns a copy of the 32-byte seed, or `undefined` if `der` is not exactly the accepted form. */
export function seedFromEd25519Pkcs8(der: Uint8Array): Uint8Array | undefined {
  if (der.length !== ED25519_PKCS8_V1_LENGTH) return undefined;
  for (let i = 0; i < ED25519_PKCS8_V1_PREFIX.length; i++) {
    if (der[i] !== ED25519_PKCS8_V1_PREFIX[i]) return undefined;
  }
  return der.slice(ED25519_PKCS8_V1_PREFIX.length);
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

import * as ed from "@noble/ed25519";

const P = 2n ** 255n - 19n;

function bytesToNumberLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function numberToBytesLE(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = n;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/**
 * The X25519 public key of an Ed25519 public key, u = (1 + y) / (1 − y) mod p, as libsodium's
 * `crypto_sign_ed25519_pk_to_curve25519`. `undefined` for encodings that are not a valid point or
 * are of small order (libsodium refuses those too).
 */
export function x25519PublicFromEd25519Public(publicKey: Uint8Array): Uint8Array | undefined {
  let point: ed.Point;
  try {
    point = ed.Point.fromBytes(publicKey, false);
  } catch {
    return undefined;
  }
  if (point.isSmallOrder()) return undefined;
  const y = bytesToNumberLE(publicKey) & ((1n << 255n) - 1n);
  const u = ed.etc.mod((1n + y) * ed.etc.invert(ed.etc.mod(1n - y, P), P), P);
  return numberToBytesLE(u);
}

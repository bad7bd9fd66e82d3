/**
 * libsodium `crypto_box_seal` / `crypto_box_seal_open` (X25519 + XSalsa20-Poly1305):
 *
 * ```text
 * sealed = ephemeral_pk[32] || tag[16] || ciphertext
 * nonce  = BLAKE2b-192(ephemeral_pk || recipient_pk)
 * key    = HSalsa20(X25519(secret, peer), 0^16)          (crypto_box_beforenm)
 * ```
 */
import { hsalsa, xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { blake2b } from "@noble/hashes/blake2.js";
import type { PreparedX25519Key } from "./crypto-backend.js";

/** Bytes a sealed box adds to its plaintext. */
export const SEAL_OVERHEAD = 32 + 16;

const SIGMA = new Uint32Array(new TextEncoder().encode("expand 32-byte k").buffer);
const ZERO_NONCE16 = new Uint32Array(4);

/** `crypto_box_beforenm`: HSalsa20 of the X25519 shared secret with a zero nonce. */
function boxKey(shared: Uint8Array): Uint8Array {
  const key = new Uint32Array(8);
  new Uint8Array(key.buffer).set(shared);
  const out = new Uint32Array(8);
  hsalsa(SIGMA, key, ZERO_NONCE16, out);
  key.fill(0);
  return new Uint8Array(out.buffer);
}

function sealNonce(ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  const input = new Uint8Array(64);
  input.set(ephemeralPublicKey, 0);
  input.set(recipientPublicKey, 32);
  return blake2b(input, { dkLen: 24 });
}

/** Opens a sealed box addressed to `recipient`; `undefined` on any failure. */
export function openSealedBox(
  recipient: PreparedX25519Key,
  sealed: Uint8Array,
): Uint8Array | undefined {
  if (sealed.length < SEAL_OVERHEAD) return undefined;
  const ephemeralPublicKey = sealed.subarray(0, 32);
  const shared = recipient.agree(ephemeralPublicKey);
  if (shared === undefined) return undefined;
  const key = boxKey(shared);
  shared.fill(0);
  const nonce = sealNonce(ephemeralPublicKey, recipient.publicKey);
  try {
    return xsalsa20poly1305(key, nonce).decrypt(sealed.subarray(32));
  } catch {
    return undefined;
  } finally {
    key.fill(0);
  }
}

/**
 * Seals `plaintext` to `recipientPublicKey` with the given ephemeral key pair; `undefined` if the
 * recipient key is of low order.
 */
export function sealBox(
  ephemeral: PreparedX25519Key,
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array | undefined {
  const shared = ephemeral.agree(recipientPublicKey);
  if (shared === undefined) return undefined;
  const key = boxKey(shared);
  shared.fill(0);
  const nonce = sealNonce(ephemeral.publicKey, recipientPublicKey);
  const box = xsalsa20poly1305(key, nonce).encrypt(plaintext);
  key.fill(0);
  const sealed = new Uint8Array(32 + box.length);
  sealed.set(ephemeral.publicKey, 0);
  sealed.set(box, 32);
  return sealed;
}

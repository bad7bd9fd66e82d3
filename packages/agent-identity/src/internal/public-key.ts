/**
 * Resolves a caller's Ed25519 public key (OpenSSH line or raw 32 bytes) and keeps a prepared
 * verifier per distinct key in a bounded LRU cache.
 */
import * as ed from "@noble/ed25519";
import { AgentIdentityError } from "../agent-identity-error.js";
import { decodeSshEd25519PublicKey } from "../ssh-public-key.js";
import { encodeBase64 } from "./base64.js";
import { currentBackend, onBackendChange, type PreparedVerifyingKey } from "./crypto-backend.js";
import { LruCache } from "./lru-cache.js";

/** How many distinct public keys stay prepared. */
export const PUBLIC_KEY_CACHE_CAPACITY = 256;

const cache = new LruCache<string, { raw: Uint8Array; verifier: PreparedVerifyingKey }>(
  PUBLIC_KEY_CACHE_CAPACITY,
);
onBackendChange(() => cache.clear());

/** Raw 32-byte key and a cache identity for an OpenSSH line or a raw key. */
export function resolveEd25519PublicKey(
  publicKey: unknown,
  name: string,
): { raw: Uint8Array; id: string } {
  if (typeof publicKey === "string") {
    return { raw: decodeSshEd25519PublicKey(publicKey), id: publicKey };
  }
  if (publicKey instanceof Uint8Array) {
    if (publicKey.length !== 32) {
      throw new AgentIdentityError(
        "invalid_public_key",
        `${name} must be an ssh-ed25519 string or exactly 32 bytes`,
      );
    }
    const raw = publicKey.slice();
    return { raw, id: `raw:${encodeBase64(raw)}` };
  }
  throw new AgentIdentityError(
    "invalid_argument",
    `${name} must be an ssh-ed25519 string or a Uint8Array`,
  );
}

/**
 * Refuses encodings that are not a canonical curve point, and small-order points: with those,
 * signatures can be forged for any message (for the identity point, `R = [s]B` verifies
 * everything), so a verifier must never accept them as a registered key.
 */
function assertUsableVerifyingKey(raw: Uint8Array): void {
  let usable: boolean;
  try {
    usable = !ed.Point.fromBytes(raw, false).isSmallOrder();
  } catch {
    usable = false;
  }
  if (!usable) {
    throw new AgentIdentityError(
      "invalid_public_key",
      "public key is not a valid Ed25519 point of full order",
    );
  }
}

/**
 * A prepared verifier for `publicKey`, from the cache when possible.
 *
 * @throws {AgentIdentityError} `invalid_public_key` for malformed, non-point or small-order keys.
 */
export function verifierFor(publicKey: unknown, name: string): PreparedVerifyingKey {
  if (typeof publicKey === "string") {
    const hit = cache.get(publicKey);
    if (hit !== undefined) return hit.verifier;
  }
  const { raw, id } = resolveEd25519PublicKey(publicKey, name);
  const hit = cache.get(id);
  if (hit !== undefined) return hit.verifier;
  assertUsableVerifyingKey(raw);
  const verifier = currentBackend().verifyingKey(raw);
  cache.set(id, { raw, verifier });
  return verifier;
}

/**
 * Parses the stored `private_key_pkcs8_base64` (a `Secret`) once per distinct key and keeps the
 * prepared key (Ed25519 signer, X25519 secret) in a small bounded LRU cache, so hot paths (one
 * assertion header per request) cost one signature, not one PKCS#8 parse. The cache is keyed by
 * the SHA-256 of the key, never by the key text, and a `Secret` seen before skips even that hash.
 */
import { Secret } from "@codex/wire";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { AgentIdentityError } from "../agent-identity-error.js";
import { decodeBase64 } from "./base64.js";
import {
  currentBackend,
  onBackendChange,
  type PreparedSigningKey,
  type PreparedX25519Key,
  sha512Digest,
} from "./crypto-backend.js";
import { LruCache } from "./lru-cache.js";
import { parseEd25519Pkcs8 } from "./pkcs8.js";

/** How many distinct private keys stay prepared. */
export const PRIVATE_KEY_CACHE_CAPACITY = 64;

/** A parsed, prepared agent private key. Never leaves the package. */
export interface AgentPrivateKey {
  readonly signing: PreparedSigningKey;
  /** The clamped X25519 secret derived from the seed (a copy on every call). */
  x25519Secret(): Uint8Array;
  /** The X25519 secret prepared for key agreement. */
  x25519(): PreparedX25519Key;
}

const cache = new LruCache<string, AgentPrivateKey>(PRIVATE_KEY_CACHE_CAPACITY);
/** Prepared keys of live `Secret`s: the hot path (the same Secret for every header) hashes nothing. */
let bySecret = new WeakMap<Secret, AgentPrivateKey>();
onBackendChange(() => {
  cache.clear();
  bySecret = new WeakMap();
});
const encoder = new TextEncoder();

/** Number of prepared keys currently cached (for tests). */
export function privateKeyCacheSize(): number {
  return cache.size;
}

/** The X25519 secret libsodium derives from an Ed25519 seed: clamped SHA-512(seed)[0..32]. */
export function x25519SecretFromSeed(seed: Uint8Array): Uint8Array {
  const secret = sha512Digest(seed).slice(0, 32);
  secret[0] = secret[0]! & 248;
  secret[31] = (secret[31]! & 127) | 64;
  return secret;
}

function prepare(seed: Uint8Array): AgentPrivateKey {
  const backend = currentBackend();
  const signing = backend.signingKey(seed);
  let secret: Uint8Array | undefined;
  let x25519: PreparedX25519Key | undefined;
  const getSecret = (): Uint8Array => {
    if (secret === undefined) secret = x25519SecretFromSeed(seed);
    return secret;
  };
  return {
    signing,
    x25519Secret: () => getSecret().slice(),
    x25519() {
      if (x25519 === undefined) x25519 = backend.x25519Key(getSecret());
      return x25519;
    },
  };
}

/**
 * Decodes and prepares a stored private key, exactly as strict as the Rust crate:
 * canonical standard base64, then the 48-byte PKCS#8 v1 Ed25519 DER or the 83-byte v2 DER whose
 * public key is the seed's own. The key must be a `Secret` (from any installed copy of
 * `@codex/wire`); a plain string is refused, so a key is never passed around in the clear.
 */
export function loadPrivateKey(value: unknown, name = "privateKeyPkcs8Base64"): AgentPrivateKey {
  if (!Secret.is(value)) {
    throw new AgentIdentityError(
      "invalid_argument",
      `${name} must be a Secret (wrap the stored key in new Secret(...) from @codex/wire)`,
    );
  }
  const known = bySecret.get(value);
  if (known !== undefined) return known;
  const encoded = value.reveal();
  if (typeof encoded !== "string") {
    throw new AgentIdentityError("invalid_argument", `${name} must hold a string`);
  }
  const utf8 = encoder.encode(encoded);
  const digest = bytesToHex(sha256(utf8));
  utf8.fill(0);
  const cached = cache.get(digest);
  if (cached !== undefined) {
    bySecret.set(value, cached);
    return cached;
  }
  // A huge string is still decoded (and refused for its length only after) so the error code
  // matches the Rust crate's: bad base64 anywhere wins over a bad length.
  const der = decodeBase64(
    encoded,
    "invalid_private_key_base64",
    "stored agent identity private key is not valid base64",
  );
  // 48 and 83 bytes: the PKCS#8 v1 and v2 forms.
  const parsed = der.length === 48 || der.length === 83 ? parseEd25519Pkcs8(der) : undefined;
  der.fill(0);
  const key = parsed === undefined ? undefined : prepare(parsed.seed);
  // A v2 key must carry its own public key (ed25519-dalek refuses any other).
  if (
    key === undefined ||
    (parsed?.publicKey !== undefined && !equalBytes(parsed.publicKey, key.signing.publicKey))
  ) {
    parsed?.seed.fill(0);
    throw new AgentIdentityError(
      "invalid_private_key_pkcs8",
      "stored agent identity private key is not valid PKCS#8",
    );
  }
  cache.set(digest, key);
  bySecret.set(value, key);
  return key;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Prepares a key from a raw seed without caching it (key generation). */
export function prepareFromSeed(seed: Uint8Array): AgentPrivateKey {
  return prepare(seed);
}

/**
 * Two interchangeable implementations of the raw primitives: `node:crypto` (OpenSSL, fast, with
 * KeyObjects made once per key) and pure JavaScript (@noble/ed25519 + @stablelib/x25519) for
 * runtimes whose `node:crypto` lacks Ed25519/X25519. Every byte handed to either one has already
 * passed this package's own strict checks.
 */
import * as nodeCrypto from "node:crypto";
import * as ed from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha2.js";
import { scalarMultBase, sharedKey } from "@stablelib/x25519";
import {
  ed25519Pkcs8FromSeed,
  ed25519SpkiFromPublicKey,
  x25519Pkcs8FromSecret,
  x25519SpkiFromPublicKey,
} from "./pkcs8.js";

/** Name of a primitive implementation. */
export type CryptoBackendName = "node" | "noble";

/** A private Ed25519 key prepared for repeated use. */
export interface PreparedSigningKey {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** A public Ed25519 key prepared for repeated verification. */
export interface PreparedVerifyingKey {
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** An X25519 secret prepared for repeated key agreement. */
export interface PreparedX25519Key {
  readonly publicKey: Uint8Array;
  /** Shared secret, or `undefined` when the peer key is invalid or of low order (all-zero). */
  agree(peerPublicKey: Uint8Array): Uint8Array | undefined;
}

/** The primitives this package needs. */
export interface CryptoBackend {
  readonly name: CryptoBackendName;
  signingKey(seed: Uint8Array): PreparedSigningKey;
  verifyingKey(publicKey: Uint8Array): PreparedVerifyingKey;
  x25519Key(secret: Uint8Array): PreparedX25519Key;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

const nodeBackend: CryptoBackend = {
  name: "node",
  signingKey(seed) {
    const privateKey = nodeCrypto.createPrivateKey({
      key: toBuffer(ed25519Pkcs8FromSeed(seed)),
      format: "der",
      type: "pkcs8",
    });
    const spki = nodeCrypto.createPublicKey(privateKey).export({ format: "der", type: "spki" });
    const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
    return {
      publicKey,
      sign(message) {
        const signature = nodeCrypto.sign(null, message, privateKey);
        return new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength);
      },
    };
  },
  verifyingKey(publicKey) {
    let key: nodeCrypto.KeyObject | undefined;
    try {
      key = nodeCrypto.createPublicKey({
        key: toBuffer(ed25519SpkiFromPublicKey(publicKey)),
        format: "der",
        type: "spki",
      });
    } catch {
      key = undefined;
    }
    return {
      verify(message, signature) {
        if (key === undefined) return false;
        try {
          return nodeCrypto.verify(null, message, key, signature);
        } catch {
          return false;
        }
      },
    };
  },
  x25519Key(secret) {
    const privateKey = nodeCrypto.createPrivateKey({
      key: toBuffer(x25519Pkcs8FromSecret(secret)),
      format: "der",
      type: "pkcs8",
    });
    const spki = nodeCrypto.createPublicKey(privateKey).export({ format: "der", type: "spki" });
    return {
      publicKey: new Uint8Array(spki.subarray(spki.length - 32)),
      agree(peerPublicKey) {
        try {
          const publicKey = nodeCrypto.createPublicKey({
            key: toBuffer(x25519SpkiFromPublicKey(peerPublicKey)),
            format: "der",
            type: "spki",
          });
          const shared = new Uint8Array(nodeCrypto.diffieHellman({ privateKey, publicKey }));
          return isAllZero(shared) ? undefined : shared;
        } catch {
          return undefined;
        }
      },
    };
  },
};

function ensureNobleSha512(): void {
  if (ed.hashes.sha512 === undefined) ed.hashes.sha512 = sha512;
}

const nobleBackend: CryptoBackend = {
  name: "noble",
  signingKey(seed) {
    ensureNobleSha512();
    const secret = seed.slice();
    return {
      publicKey: ed.getPublicKey(secret),
      sign(message) {
        return ed.sign(message, secret);
      },
    };
  },
  verifyingKey(publicKey) {
    ensureNobleSha512();
    const key = publicKey.slice();
    return {
      verify(message, signature) {
        try {
          return ed.verify(signature, message, key, { zip215: false });
        } catch {
          return false;
        }
      },
    };
  },
  x25519Key(secret) {
    const key = secret.slice();
    return {
      publicKey: scalarMultBase(key),
      agree(peerPublicKey) {
        try {
          return sharedKey(key, peerPublicKey, true);
        } catch {
          return undefined;
        }
      },
    };
  },
};

function nodeHasCurve25519(): boolean {
  try {
    const seed = new Uint8Array(32).fill(1);
    const signer = nodeBackend.signingKey(seed);
    const message = Uint8Array.of(1, 2, 3);
    if (!nodeBackend.verifyingKey(signer.publicKey).verify(message, signer.sign(message))) {
      return false;
    }
    const a = nodeBackend.x25519Key(new Uint8Array(32).fill(2));
    const b = nodeBackend.x25519Key(new Uint8Array(32).fill(3));
    return a.agree(b.publicKey) !== undefined;
  } catch {
    return false;
  }
}

let detected: CryptoBackend | undefined;
let forced: CryptoBackend | undefined;
const listeners = new Set<() => void>();

/** The backend in use: forced for tests, else `node` when it has Ed25519 and X25519. */
export function currentBackend(): CryptoBackend {
  if (forced !== undefined) return forced;
  if (detected === undefined) detected = nodeHasCurve25519() ? nodeBackend : nobleBackend;
  return detected;
}

/**
 * Forces a backend (for tests and benchmarks), or restores automatic choice with `undefined`.
 * Key caches are cleared so no prepared key from the other backend is reused.
 */
export function setBackendForTesting(name: CryptoBackendName | undefined): void {
  forced = name === undefined ? undefined : name === "node" ? nodeBackend : nobleBackend;
  for (const listener of listeners) listener();
}

/** Registers a callback run whenever the backend changes (used to clear key caches). */
export function onBackendChange(listener: () => void): void {
  listeners.add(listener);
}

/** SHA-512 used for the Ed25519 → X25519 secret conversion. */
export function sha512Digest(bytes: Uint8Array): Uint8Array {
  return sha512(bytes);
}

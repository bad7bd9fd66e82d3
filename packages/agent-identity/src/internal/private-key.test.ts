import { Secret } from "@codex/wire";
import { afterEach, expect, it } from "vitest";
import { setBackendForTesting } from "./crypto-backend.js";
import { ed25519Pkcs8FromSeed } from "./pkcs8.js";
import {
  loadPrivateKey,
  PRIVATE_KEY_CACHE_CAPACITY,
  privateKeyCacheSize,
  x25519SecretFromSeed,
} from "./private-key.js";

afterEach(() => setBackendForTesting(undefined));

function storedKey(i: number): Secret {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, i);
  // A new Secret each call: the cache matches keys by content, not by wrapper.
  return new Secret(Buffer.from(ed25519Pkcs8FromSeed(seed)).toString("base64"));
}

it("prepares each distinct key once and keeps at most the cache capacity", () => {
  setBackendForTesting("node");
  const first = loadPrivateKey(storedKey(0));
  expect(loadPrivateKey(storedKey(0))).toBe(first);
  for (let i = 1; i < PRIVATE_KEY_CACHE_CAPACITY * 2; i++) loadPrivateKey(storedKey(i));
  expect(privateKeyCacheSize()).toBe(PRIVATE_KEY_CACHE_CAPACITY);
  expect(loadPrivateKey(storedKey(0))).not.toBe(first);
});

it("clears the cache when the backend changes", () => {
  setBackendForTesting("node");
  loadPrivateKey(storedKey(1));
  expect(privateKeyCacheSize()).toBeGreaterThan(0);
  setBackendForTesting("noble");
  expect(privateKeyCacheSize()).toBe(0);
});

it("derives the libsodium X25519 secret (clamped SHA-512 of the seed)", () => {
  expect(Buffer.from(x25519SecretFromSeed(new Uint8Array(32).fill(7))).toString("hex")).toBe(
    "28ad39fefd7fa3e200a9c626eef599e61a2d055c48a8288a4e7e4c4bca392878",
  );
});

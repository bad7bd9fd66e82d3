import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type CryptoBackend, currentBackend, setBackendForTesting } from "./crypto-backend.js";

afterEach(() => setBackendForTesting(undefined));

function backend(name: "node" | "noble"): CryptoBackend {
  setBackendForTesting(name);
  return currentBackend();
}

describe("node and noble backends", () => {
  it("picks node:crypto automatically on this Node", () => {
    setBackendForTesting(undefined);
    expect(currentBackend().name).toBe("node");
  });

  it("agree on public keys, signatures, verification and key agreement", () => {
    const node = backend("node");
    const noble = backend("noble");
    for (let i = 0; i < 8; i++) {
      const seed = new Uint8Array(randomBytes(32));
      const message = new Uint8Array(randomBytes(i * 7));
      const a = node.signingKey(seed);
      const b = noble.signingKey(seed);
      expect(a.publicKey).toEqual(b.publicKey);
      const signature = a.sign(message);
      expect(b.sign(message)).toEqual(signature);
      expect(node.verifyingKey(a.publicKey).verify(message, signature)).toBe(true);
      expect(noble.verifyingKey(a.publicKey).verify(message, signature)).toBe(true);
      const forged = signature.slice();
      forged[0] = forged[0]! ^ 1;
      expect(node.verifyingKey(a.publicKey).verify(message, forged)).toBe(false);
      expect(noble.verifyingKey(a.publicKey).verify(message, forged)).toBe(false);

      const x = new Uint8Array(randomBytes(32));
      const y = new Uint8Array(randomBytes(32));
      const xn = node.x25519Key(x);
      const yb = noble.x25519Key(y);
      expect(noble.x25519Key(x).publicKey).toEqual(xn.publicKey);
      expect(xn.agree(yb.publicKey)).toEqual(yb.agree(xn.publicKey));
    }
  });

  it("both refuse low-order X25519 peers and garbage verification input", () => {
    for (const b of [backend("node"), backend("noble")]) {
      const key = b.x25519Key(new Uint8Array(32).fill(9));
      expect(key.agree(new Uint8Array(32))).toBeUndefined();
      expect(key.agree(Uint8Array.of(1, ...new Uint8Array(31)))).toBeUndefined();
      const verifier = b.verifyingKey(new Uint8Array(32).fill(0xff));
      expect(verifier.verify(Uint8Array.of(1), new Uint8Array(64))).toBe(false);
    }
  });
});

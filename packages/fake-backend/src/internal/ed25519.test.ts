import { readFileSync } from "node:fs";
import { decodeSshEd25519PublicKey } from "@codex/agent-identity";
import { describe, expect, it } from "vitest";
import { decodeCanonicalBase64, verifyEd25519 } from "./ed25519.js";

interface Vectors {
  keys: { name: string; public_key_ed25519_hex: string; public_key_ssh: string }[];
  registration_signatures: {
    key: string;
    agent_runtime_id: string;
    timestamp: string;
    signature: string;
  }[];
}

const vectors = JSON.parse(
  readFileSync(new URL("../../test/fixtures/agent-identity.json", import.meta.url), "utf8"),
) as Vectors;
const keyByName = new Map(vectors.keys.map((key) => [key.name, key]));

describe("Ed25519 registration signatures", () => {
  it.each(vectors.registration_signatures)("verifies $agent_runtime_id at $timestamp", (vector) => {
    const key = decodeSshEd25519PublicKey(keyByName.get(vector.key)!.public_key_ssh);
    const message = `${vector.agent_runtime_id}:${vector.timestamp}`;
    expect(verifyEd25519(key, message, vector.signature)).toBe(true);
    expect(verifyEd25519(key, `${message}x`, vector.signature)).toBe(false);
  });

  it("rejects malformed signatures and keys", () => {
    const vector = vectors.registration_signatures[0]!;
    const key = decodeSshEd25519PublicKey(keyByName.get(vector.key)!.public_key_ssh);
    const message = `${vector.agent_runtime_id}:${vector.timestamp}`;
    expect(verifyEd25519(key, message, "")).toBe(false);
    expect(verifyEd25519(key, message, vector.signature.replaceAll("=", ""))).toBe(false);
    expect(verifyEd25519(key, message, Buffer.alloc(63).toString("base64"))).toBe(false);
    expect(verifyEd25519(key.subarray(0, 31), message, vector.signature)).toBe(false);
    expect(verifyEd25519(new Uint8Array(32), message, vector.signature)).toBe(false);
  });

  it("accepts only canonical base64", () => {
    expect(decodeCanonicalBase64("AAAA")).toEqual(Buffer.alloc(3));
    expect(decodeCanonicalBase64("AAB=")).toBeUndefined();
    expect(decodeCanonicalBase64("AA")).toBeUndefined();
    expect(decodeCanonicalBase64("AA-_")).toBeUndefined();
  });
});

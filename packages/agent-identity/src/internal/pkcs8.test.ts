import { describe, expect, it } from "vitest";
import {
  ED25519_PKCS8_V1_LENGTH,
  ED25519_PKCS8_V1_PREFIX,
  ed25519Pkcs8FromSeed,
  parseEd25519Pkcs8,
} from "./pkcs8.js";

const SEED = new Uint8Array(32).fill(7);

describe("strict PKCS#8 v1 Ed25519", () => {
  it("round-trips a seed through the 48-byte form", () => {
    const der = ed25519Pkcs8FromSeed(SEED);
    expect(der).toHaveLength(ED25519_PKCS8_V1_LENGTH);
    expect(Buffer.from(der).subarray(0, 16).toString("hex")).toBe(
      "302e020100300506032b657004220420",
    );
    expect(parseEd25519Pkcs8(der)).toEqual({ seed: SEED, publicKey: undefined });
  });

  it("refuses any single changed header byte", () => {
    for (let i = 0; i < ED25519_PKCS8_V1_PREFIX.length; i++) {
      const der = ed25519Pkcs8FromSeed(SEED);
      der[i] = der[i]! ^ 0x01;
      expect(parseEd25519Pkcs8(der)).toBeUndefined();
    }
  });

  it("refuses truncated, extended and empty input", () => {
    const der = ed25519Pkcs8FromSeed(SEED);
    expect(parseEd25519Pkcs8(der.subarray(0, 47))).toBeUndefined();
    expect(parseEd25519Pkcs8(Uint8Array.of(...der, 0))).toBeUndefined();
    expect(parseEd25519Pkcs8(new Uint8Array(0))).toBeUndefined();
  });

  it("parses the 83-byte v2 form with its public key", () => {
    const publicKey = new Uint8Array(32).fill(9);
    const der = Uint8Array.from(
      Buffer.concat([
        Buffer.from("3051020101300506032b657004220420", "hex"),
        SEED,
        Buffer.from("812100", "hex"),
        publicKey,
      ]),
    );
    expect(parseEd25519Pkcs8(der)).toEqual({ seed: SEED, publicKey });
    der[2 + 2] = 0x00; // version 0 with a public key
    expect(parseEd25519Pkcs8(der)).toBeUndefined();
  });

  it("returns a copy of the seed", () => {
    const der = ed25519Pkcs8FromSeed(SEED);
    const seed = parseEd25519Pkcs8(der)!.seed;
    seed.fill(0);
    expect(der[47]).toBe(7);
  });
});

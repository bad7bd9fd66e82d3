import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import {
  curve25519SecretKeyFromPrivateKeyPkcs8Base64,
  generateAgentKeyMaterial,
  publicKeySshFromPrivateKeyPkcs8Base64,
  verifyingKeyFromPrivateKeyPkcs8Base64,
} from "./key-material.js";
import { decodeSshEd25519PublicKey } from "./ssh-public-key.js";

const SEED_07_TEXT = "MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH";
const SEED_07_PKCS8 = new Secret(SEED_07_TEXT);
const SEED_07_SSH =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs";

describe("generateAgentKeyMaterial", () => {
  it("encodes the drawn seed as 48-byte PKCS#8 v1 and derives the ssh key", () => {
    const material = generateAgentKeyMaterial({ randomBytes: (n) => new Uint8Array(n).fill(7) });
    expect(Object.keys(material).sort()).toEqual(["privateKeyPkcs8Base64", "publicKeySsh"]);
    expect(Secret.is(material.privateKeyPkcs8Base64)).toBe(true);
    expect(material.privateKeyPkcs8Base64.reveal()).toBe(SEED_07_TEXT);
    expect(material.publicKeySsh).toBe(SEED_07_SSH);
    // The private key never prints.
    expect(JSON.stringify(material)).not.toContain(SEED_07_TEXT);
    expect(String(material.privateKeyPkcs8Base64)).not.toContain(SEED_07_TEXT);
  });

  it("draws exactly 32 bytes and does not keep a reference to them", () => {
    const drawn: Uint8Array[] = [];
    const material = generateAgentKeyMaterial({
      randomBytes: (n) => {
        const bytes = new Uint8Array(n).fill(7);
        drawn.push(bytes);
        return bytes;
      },
    });
    expect(drawn.map((b) => b.length)).toEqual([32]);
    drawn[0]!.fill(9);
    expect(publicKeySshFromPrivateKeyPkcs8Base64(material.privateKeyPkcs8Base64)).toBe(SEED_07_SSH);
  });

  it("makes a different, self-consistent key each time from the system CSPRNG", () => {
    const a = generateAgentKeyMaterial();
    const b = generateAgentKeyMaterial();
    expect(a.privateKeyPkcs8Base64.reveal()).not.toBe(b.privateKeyPkcs8Base64.reveal());
    for (const material of [a, b]) {
      expect(Buffer.from(material.privateKeyPkcs8Base64.reveal(), "base64")).toHaveLength(48);
      expect(publicKeySshFromPrivateKeyPkcs8Base64(material.privateKeyPkcs8Base64)).toBe(
        material.publicKeySsh,
      );
    }
  });
});

describe("derivations from the stored key", () => {
  it("returns the verifying key matching the ssh line, as a fresh copy", () => {
    const first = verifyingKeyFromPrivateKeyPkcs8Base64(SEED_07_PKCS8);
    expect(first).toEqual(decodeSshEd25519PublicKey(SEED_07_SSH));
    first.fill(0);
    expect(verifyingKeyFromPrivateKeyPkcs8Base64(SEED_07_PKCS8)).toEqual(
      decodeSshEd25519PublicKey(SEED_07_SSH),
    );
  });

  it("returns the clamped X25519 secret as a fresh copy", () => {
    const secret = curve25519SecretKeyFromPrivateKeyPkcs8Base64(SEED_07_PKCS8);
    expect(Buffer.from(secret).toString("hex")).toBe(
      "28ad39fefd7fa3e200a9c626eef599e61a2d055c48a8288a4e7e4c4bca392878",
    );
    expect(secret[0]! & 7).toBe(0);
    expect(secret[31]! & 0xc0).toBe(0x40);
    secret.fill(0);
    expect(curve25519SecretKeyFromPrivateKeyPkcs8Base64(SEED_07_PKCS8)[0]).toBe(0x28);
  });
});

describe("private keys are Secrets", () => {
  it("accepts a Secret made by another installed copy of @codex/wire (brand, not instanceof)", () => {
    const foreign = {
      [Symbol.for("codex.wire.secret")]: true,
      reveal: () => SEED_07_TEXT,
    } as unknown as Secret;
    expect(publicKeySshFromPrivateKeyPkcs8Base64(foreign)).toBe(SEED_07_SSH);
  });

  it("refuses the same key as a plain string with a typed error that does not echo it", () => {
    let thrown: unknown;
    try {
      publicKeySshFromPrivateKeyPkcs8Base64(SEED_07_TEXT as unknown as Secret);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "AgentIdentityError", code: "invalid_argument" });
    expect((thrown as Error).message).toContain("must be a Secret");
    expect((thrown as Error).message).not.toContain(SEED_07_TEXT);
  });

  it("gives the same prepared key to two Secrets holding the same text", () => {
    const a = verifyingKeyFromPrivateKeyPkcs8Base64(new Secret(SEED_07_TEXT));
    const b = verifyingKeyFromPrivateKeyPkcs8Base64(new Secret(SEED_07_TEXT));
    expect(a).toEqual(b);
  });
});

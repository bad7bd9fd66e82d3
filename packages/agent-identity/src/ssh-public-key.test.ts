import { describe, expect, it } from "vitest";
import { AgentIdentityError } from "./agent-identity-error.js";
import { decodeSshEd25519PublicKey, encodeSshEd25519PublicKey } from "./ssh-public-key.js";

const RAW = Buffer.from("ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c", "hex");
const SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs";

function blob(typeLength: number, type: string, keyLength: number, key: Uint8Array): string {
  const parts = [Buffer.alloc(4), Buffer.from(type), Buffer.alloc(4), Buffer.from(key)];
  parts[0]!.writeUInt32BE(typeLength);
  parts[2]!.writeUInt32BE(keyLength);
  return `ssh-ed25519 ${Buffer.concat(parts).toString("base64")}`;
}

describe("encodeSshEd25519PublicKey / decodeSshEd25519PublicKey", () => {
  it("round-trips the OpenSSH form with no comment", () => {
    expect(encodeSshEd25519PublicKey(new Uint8Array(RAW))).toBe(SSH);
    expect(Buffer.from(decodeSshEd25519PublicKey(SSH))).toEqual(RAW);
    expect(blob(11, "ssh-ed25519", 32, RAW)).toBe(SSH);
  });

  it("accepts an authorized_keys style comment", () => {
    expect(Buffer.from(decodeSshEd25519PublicKey(`${SSH} agent@host`))).toEqual(RAW);
  });

  it.each([
    ["wrong inner type length", blob(10, "ssh-ed25519", 32, RAW)],
    ["wrong inner type", blob(11, "ssh-ed25518", 32, RAW)],
    ["wrong key length field", blob(11, "ssh-ed25519", 31, RAW)],
    ["short key", blob(11, "ssh-ed25519", 31, RAW.subarray(0, 31))],
    ["long key", blob(11, "ssh-ed25519", 33, Buffer.concat([RAW, Buffer.of(0)]))],
    ["comment with a tab", `${SSH} a\tb`],
    ["non-canonical base64 (extra padding)", `${SSH}====`],
    ["whitespace inside base64", SSH.replace("AAAAI", "AAAA I")],
    ["uppercase type", SSH.replace("ssh-ed25519", "SSH-ED25519")],
  ])("rejects %s", (_name, line) => {
    expect(() => decodeSshEd25519PublicKey(line)).toThrowError(AgentIdentityError);
    try {
      decodeSshEd25519PublicKey(line);
    } catch (error) {
      expect((error as AgentIdentityError).code).toBe("invalid_public_key");
    }
  });
});

import { describe, expect, it } from "vitest";
import { AgentIdentityError } from "./agent-identity-error.js";
import { currentBackend } from "./internal/crypto-backend.js";
import { x25519PublicFromEd25519Public } from "./internal/edwards-to-montgomery.js";
import { sealBox } from "./internal/sealed-box.js";
import { MAX_FIELD_LENGTH } from "./internal/validate.js";
import { generateAgentKeyMaterial, verifyingKeyFromPrivateKeyPkcs8Base64 } from "./key-material.js";
import { decodeSshEd25519PublicKey } from "./ssh-public-key.js";
import {
  decryptTaskIdResponse,
  MAX_ENCRYPTED_TASK_ID_LENGTH,
  sealTaskIdForPublicKey,
} from "./task-id-encryption.js";

const material = generateAgentKeyMaterial();
const KEY = { agentRuntimeId: "agent-1", privateKeyPkcs8Base64: material.privateKeyPkcs8Base64 };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AgentIdentityError) return error.code;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("sealTaskIdForPublicKey + decryptTaskIdResponse", () => {
  it.each([
    ["plain", "task-123"],
    ["empty", ""],
    ["leading BOM (kept)", "\ufefftask"],
    ["NUL and DEL", "a\u0000b\u007f"],
    ["astral", "🦀\u{10ffff}"],
    ["maximal length", "é".repeat(MAX_FIELD_LENGTH)],
  ])("round-trips %s", (_name, taskId) => {
    const sealed = sealTaskIdForPublicKey(material.publicKeySsh, taskId);
    expect(Buffer.from(sealed, "base64")).toHaveLength(48 + Buffer.byteLength(taskId));
    expect(sealed.length).toBeLessThanOrEqual(MAX_ENCRYPTED_TASK_ID_LENGTH);
    expect(decryptTaskIdResponse(KEY, sealed)).toBe(taskId);
  });

  it("is deterministic for an injected ephemeral key and randomised otherwise", () => {
    const fixed = { randomBytes: (n: number) => new Uint8Array(n).fill(3) };
    const a = sealTaskIdForPublicKey(material.publicKeySsh, "task", fixed);
    const b = sealTaskIdForPublicKey(material.publicKeySsh, "task", fixed);
    expect(a).toBe(b);
    expect(sealTaskIdForPublicKey(material.publicKeySsh, "task")).not.toBe(
      sealTaskIdForPublicKey(material.publicKeySsh, "task"),
    );
  });

  it("accepts the raw public key", () => {
    const raw = verifyingKeyFromPrivateKeyPkcs8Base64(material.privateKeyPkcs8Base64);
    expect(decryptTaskIdResponse(KEY, sealTaskIdForPublicKey(raw, "t"))).toBe("t");
  });

  it("cannot be opened by another key", () => {
    const other = generateAgentKeyMaterial();
    const sealed = sealTaskIdForPublicKey(other.publicKeySsh, "task");
    expect(codeOf(() => decryptTaskIdResponse(KEY, sealed))).toBe("task_id_decryption_failed");
  });

  it("rejects a plaintext that is not UTF-8 instead of replacing it", () => {
    const recipient = x25519PublicFromEd25519Public(
      decodeSshEd25519PublicKey(material.publicKeySsh),
    );
    const ephemeral = currentBackend().x25519Key(new Uint8Array(32).fill(5));
    const sealed = sealBox(ephemeral, recipient!, Uint8Array.of(0x74, 0xc3));
    const error = codeOf(() => decryptTaskIdResponse(KEY, Buffer.from(sealed!).toString("base64")));
    expect(error).toBe("invalid_task_id_utf8");
  });

  it("rejects every single-byte tampering", () => {
    const sealed = Buffer.from(sealTaskIdForPublicKey(material.publicKeySsh, "task-123"), "base64");
    for (let i = 0; i < sealed.length; i++) {
      const tampered = Buffer.from(sealed);
      tampered[i] = tampered[i]! ^ 0x01;
      expect(codeOf(() => decryptTaskIdResponse(KEY, tampered.toString("base64")))).toBe(
        "task_id_decryption_failed",
      );
    }
  });
});

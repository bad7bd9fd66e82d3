/**
 * Golden vectors from independent implementations (OpenSSL, libsodium, OpenSSH), vendored
 * unchanged. Every positive value must be reproduced and every invalid input rejected with a
 * typed error, through both crypto backends.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { Secret } from "@codex/wire";
import { afterAll, describe, expect, it } from "vitest";
import {
  AgentIdentityError,
  type AgentIdentityErrorCode,
  authorizationHeaderForAgentTask,
  curve25519SecretKeyFromPrivateKeyPkcs8Base64,
  decodeSshEd25519PublicKey,
  decryptTaskIdResponse,
  encodeSshEd25519PublicKey,
  publicKeySshFromPrivateKeyPkcs8Base64,
  sealTaskIdForPublicKey,
  signTaskRegistrationPayload,
  verifyAgentAssertion,
  verifyingKeyFromPrivateKeyPkcs8Base64,
  verifyTaskRegistrationSignature,
} from "../src/index.js";
import { currentBackend, setBackendForTesting } from "../src/internal/crypto-backend.js";
import { x25519PublicFromEd25519Public } from "../src/internal/edwards-to-montgomery.js";

const FIXTURE_URL = new URL("./fixtures/agent-identity.json", import.meta.url);
const SHARED_URL = new URL("../../../../shared/vectors/agent-identity.json", import.meta.url);
/** sha256 of the vendored file, recorded when it was copied from shared/vectors. */
const FIXTURE_SHA256 = "d828f953caaef9d98c8d5f62e5f4826253836556628d302caf84891881dcb3e8";

interface KeyVector {
  name: string;
  seed_hex: string;
  private_key_pkcs8_base64: string;
  public_key_ed25519_hex: string;
  public_key_ssh: string;
  x25519_secret_hex: string;
  x25519_public_hex: string;
}
interface Vectors {
  keys: KeyVector[];
  assertions: {
    key: string;
    agent_runtime_id: string;
    task_id: string;
    timestamp: string;
    signature: string;
    header: string;
  }[];
  registration_signatures: {
    key: string;
    agent_runtime_id: string;
    timestamp: string;
    signature: string;
  }[];
  sealed_task_ids: { key: string; encrypted_task_id: string; task_id: string }[];
  invalid_private_keys: { name: string; value: string; why: string }[];
  invalid_sealed_task_ids: { key: string; encrypted_task_id: string; why: string }[];
  invalid_assertions: { key: string; header: string; why: string }[];
}

const fixtureBytes = readFileSync(FIXTURE_URL);
const vectors = JSON.parse(fixtureBytes.toString("utf8")) as Vectors;
const keysByName = new Map(vectors.keys.map((key) => [key.name, key]));

function keyVector(name: string): KeyVector {
  const key = keysByName.get(name);
  if (key === undefined) throw new Error(`fixture names unknown key ${name}`);
  return key;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function catchError(fn: () => unknown): AgentIdentityError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AgentIdentityError);
    return error as AgentIdentityError;
  }
  throw new Error("expected an AgentIdentityError, but the call succeeded");
}

/** No error message may carry key material of any fixture key. */
function expectNoKeyMaterial(error: AgentIdentityError): void {
  for (const key of vectors.keys) {
    for (const secret of [
      key.private_key_pkcs8_base64,
      key.seed_hex,
      key.x25519_secret_hex,
      key.private_key_pkcs8_base64.slice(22, 64),
    ]) {
      expect(error.message).not.toContain(secret);
    }
  }
}

describe("fixture", () => {
  it("is the vendored copy of shared/vectors/agent-identity.json, unchanged", () => {
    expect(createHash("sha256").update(fixtureBytes).digest("hex")).toBe(FIXTURE_SHA256);
    if (existsSync(SHARED_URL)) {
      expect(Buffer.compare(readFileSync(SHARED_URL), fixtureBytes)).toBe(0);
    }
  });

  it("holds every section with cases in it", () => {
    expect(vectors.keys.length).toBeGreaterThan(0);
    expect(vectors.assertions.length).toBeGreaterThan(0);
    expect(vectors.registration_signatures.length).toBeGreaterThan(0);
    expect(vectors.sealed_task_ids.length).toBeGreaterThan(0);
    expect(vectors.invalid_private_keys.length).toBeGreaterThan(0);
    expect(vectors.invalid_sealed_task_ids.length).toBeGreaterThan(0);
    expect(vectors.invalid_assertions.length).toBeGreaterThan(0);
  });
});

describe.each(["node", "noble"] as const)("golden vectors through the %s backend", (backend) => {
  setBackendForTesting(backend);
  afterAll(() => setBackendForTesting(undefined));

  it("uses the forced backend", () => {
    setBackendForTesting(backend);
    expect(currentBackend().name).toBe(backend);
  });

  describe("keys", () => {
    it.each(vectors.keys.map((key) => [key.name, key] as const))("%s", (_name, key) => {
      setBackendForTesting(backend);
      const pkcs8 = new Secret(key.private_key_pkcs8_base64);
      expect(publicKeySshFromPrivateKeyPkcs8Base64(pkcs8)).toBe(key.public_key_ssh);
      expect(hex(verifyingKeyFromPrivateKeyPkcs8Base64(pkcs8))).toBe(key.public_key_ed25519_hex);
      expect(hex(curve25519SecretKeyFromPrivateKeyPkcs8Base64(pkcs8))).toBe(key.x25519_secret_hex);
      const publicKey = Buffer.from(key.public_key_ed25519_hex, "hex");
      expect(encodeSshEd25519PublicKey(new Uint8Array(publicKey))).toBe(key.public_key_ssh);
      expect(hex(decodeSshEd25519PublicKey(key.public_key_ssh))).toBe(key.public_key_ed25519_hex);
      const x25519Public = x25519PublicFromEd25519Public(new Uint8Array(publicKey));
      expect(x25519Public && hex(x25519Public)).toBe(key.x25519_public_hex);
      const stored = Buffer.from(pkcs8.reveal(), "base64");
      expect(stored.length).toBe(48);
      expect(stored.subarray(16).toString("hex")).toBe(key.seed_hex);
    });
  });

  describe("keys in the PKCS#8 v2 form ed25519-dalek writes (seed + [1] public key)", () => {
    // `SigningKey::to_pkcs8_der` emits OneAsymmetricKey v2 with the public key, and
    // `from_pkcs8_der` accepts it when the public key matches: keys stored by the Rust crate load.
    const v2 = (key: KeyVector, publicKeyHex = key.public_key_ed25519_hex, unusedBits = "00") =>
      Buffer.from(
        `3051020101300506032b657004220420${key.seed_hex}8121${unusedBits}${publicKeyHex}`,
        "hex",
      ).toString("base64");

    it.each(vectors.keys.map((key) => [key.name, key] as const))("%s", (_name, key) => {
      setBackendForTesting(backend);
      const stored = new Secret(v2(key));
      expect(publicKeySshFromPrivateKeyPkcs8Base64(stored)).toBe(key.public_key_ssh);
      expect(hex(curve25519SecretKeyFromPrivateKeyPkcs8Base64(stored))).toBe(key.x25519_secret_hex);
      for (const vector of vectors.registration_signatures.filter((s) => s.key === key.name)) {
        const signed = signTaskRegistrationPayload(
          { agentRuntimeId: vector.agent_runtime_id, privateKeyPkcs8Base64: stored },
          vector.timestamp,
        );
        expect(signed).toBe(vector.signature);
      }
    });

    it("refuses a public key that is not the seed's, or a BIT STRING with unused bits", () => {
      setBackendForTesting(backend);
      const [first, second] = vectors.keys as [KeyVector, KeyVector];
      for (const stored of [v2(first, second.public_key_ed25519_hex), v2(first, undefined, "01")]) {
        const error = catchError(() => publicKeySshFromPrivateKeyPkcs8Base64(new Secret(stored)));
        expect(error.code).toBe("invalid_private_key_pkcs8");
        expect(error.message).toBe("stored agent identity private key is not valid PKCS#8");
      }
      // v1 (version 0) carrying a public key is refused too (the pkcs8 crate requires v2 for it).
      const v1WithPublicKey = Buffer.from(
        `3051020100300506032b657004220420${first.seed_hex}812100${first.public_key_ed25519_hex}`,
        "hex",
      ).toString("base64");
      expect(
        catchError(() => publicKeySshFromPrivateKeyPkcs8Base64(new Secret(v1WithPublicKey))).code,
      ).toBe("invalid_private_key_pkcs8");
    });
  });

  describe("assertions", () => {
    it.each(vectors.assertions.map((a, i) => [i, a] as const))("#%i", (_i, vector) => {
      setBackendForTesting(backend);
      const key = keyVector(vector.key);
      const now = new Date(Date.parse(vector.timestamp));
      const header = authorizationHeaderForAgentTask(
        {
          agentRuntimeId: vector.agent_runtime_id,
          privateKeyPkcs8Base64: new Secret(key.private_key_pkcs8_base64),
        },
        { agentRuntimeId: vector.agent_runtime_id, taskId: vector.task_id },
        { now },
      );
      expect(header).toBe(vector.header);
      const envelope = JSON.parse(
        Buffer.from(header.slice("AgentAssertion ".length), "base64url").toString("utf8"),
      ) as { signature: string };
      expect(envelope.signature).toBe(vector.signature);
      for (const publicKey of [
        key.public_key_ssh,
        new Uint8Array(Buffer.from(key.public_key_ed25519_hex, "hex")),
      ]) {
        expect(verifyAgentAssertion(vector.header, publicKey, { now })).toEqual({
          agentRuntimeId: vector.agent_runtime_id,
          taskId: vector.task_id,
          timestamp: vector.timestamp,
        });
      }
    });
  });

  describe("registration signatures", () => {
    it.each(vectors.registration_signatures.map((s, i) => [i, s] as const))("#%i", (_i, vector) => {
      setBackendForTesting(backend);
      const key = keyVector(vector.key);
      expect(
        signTaskRegistrationPayload(
          {
            agentRuntimeId: vector.agent_runtime_id,
            privateKeyPkcs8Base64: new Secret(key.private_key_pkcs8_base64),
          },
          vector.timestamp,
        ),
      ).toBe(vector.signature);
      const publicKey = key.public_key_ssh;
      const { agent_runtime_id: runtime, timestamp, signature } = vector;
      expect(() =>
        verifyTaskRegistrationSignature(publicKey, runtime, timestamp, signature),
      ).not.toThrow();
      expect(
        catchError(() =>
          verifyTaskRegistrationSignature(publicKey, runtime, `${timestamp}x`, signature),
        ).code,
      ).toBe("invalid_registration_signature");
    });

    it("refuses malformed signatures and keys", () => {
      setBackendForTesting(backend);
      const vector = vectors.registration_signatures[0]!;
      const key = keyVector(vector.key);
      const verify = (publicKey: string | Uint8Array, signature: string) =>
        catchError(() =>
          verifyTaskRegistrationSignature(
            publicKey,
            vector.agent_runtime_id,
            vector.timestamp,
            signature,
          ),
        ).code;
      const raw = Buffer.from(key.public_key_ed25519_hex, "hex");
      expect(verify(key.public_key_ssh, "")).toBe("invalid_registration_signature");
      expect(verify(key.public_key_ssh, vector.signature.replaceAll("=", ""))).toBe(
        "invalid_registration_signature",
      );
      expect(verify(key.public_key_ssh, Buffer.alloc(63).toString("base64"))).toBe(
        "invalid_registration_signature",
      );
      expect(verify(raw.subarray(0, 31), vector.signature)).toBe("invalid_public_key");
      expect(verify(new Uint8Array(32), vector.signature)).toBe("invalid_public_key");
    });
  });

  describe("sealed task ids", () => {
    it.each(vectors.sealed_task_ids.map((s, i) => [i, s] as const))("#%i", (_i, vector) => {
      setBackendForTesting(backend);
      const key = keyVector(vector.key);
      const agentKey = {
        agentRuntimeId: "agent",
        privateKeyPkcs8Base64: new Secret(key.private_key_pkcs8_base64),
      };
      expect(decryptTaskIdResponse(agentKey, vector.encrypted_task_id)).toBe(vector.task_id);
      // Our own seal opens to the same plaintext, both from the SSH form and the raw key.
      const raw = new Uint8Array(Buffer.from(key.public_key_ed25519_hex, "hex"));
      for (const publicKey of [key.public_key_ssh, raw]) {
        const sealed = sealTaskIdForPublicKey(publicKey, vector.task_id);
        expect(decryptTaskIdResponse(agentKey, sealed)).toBe(vector.task_id);
      }
    });
  });

  describe("invalid private keys", () => {
    const codes: AgentIdentityErrorCode[] = [
      "invalid_private_key_base64",
      "invalid_private_key_pkcs8",
    ];
    it.each(vectors.invalid_private_keys.map((v) => [v.name, v] as const))(
      "%s",
      (_name, vector) => {
        setBackendForTesting(backend);
        const stored = new Secret(vector.value);
        const key = { agentRuntimeId: "agent-123", privateKeyPkcs8Base64: stored };
        const target = { agentRuntimeId: "agent-123", taskId: "task-123" };
        const calls: (() => unknown)[] = [
          () => publicKeySshFromPrivateKeyPkcs8Base64(stored),
          () => verifyingKeyFromPrivateKeyPkcs8Base64(stored),
          () => curve25519SecretKeyFromPrivateKeyPkcs8Base64(stored),
          () => authorizationHeaderForAgentTask(key, target),
          () => signTaskRegistrationPayload(key, "2026-04-15T00:00:00Z"),
          () => decryptTaskIdResponse(key, vectors.sealed_task_ids[0]!.encrypted_task_id),
        ];
        const seen = new Set<string>();
        for (const call of calls) {
          const error = catchError(call);
          expect(codes).toContain(error.code);
          expect(error.message).toMatch(
            /^stored agent identity private key is not valid (base64|PKCS#8)$/,
          );
          if (vector.value.length > 0) expect(error.message).not.toContain(vector.value);
          seen.add(error.code);
        }
        expect(seen.size).toBe(1);
      },
    );

    it("classifies non-canonical base64 as base64 errors and bad DER as PKCS#8 errors", () => {
      setBackendForTesting(backend);
      const codeOf = (name: string) => {
        const vector = vectors.invalid_private_keys.find((v) => v.name === name);
        if (vector === undefined) throw new Error(`missing vector ${name}`);
        return catchError(() => publicKeySshFromPrivateKeyPkcs8Base64(new Secret(vector.value)))
          .code;
      };
      expect(codeOf("embedded-newline")).toBe("invalid_private_key_base64");
      expect(codeOf("urlsafe-alphabet")).toBe("invalid_private_key_base64");
      expect(codeOf("truncated-trailing-bits")).toBe("invalid_private_key_base64");
      expect(codeOf("pkcs8-x25519")).toBe("invalid_private_key_pkcs8");
      expect(codeOf("trailing-byte")).toBe("invalid_private_key_pkcs8");
      expect(codeOf("empty")).toBe("invalid_private_key_pkcs8");
    });
  });

  describe("invalid sealed task ids", () => {
    const codes: AgentIdentityErrorCode[] = [
      "invalid_encrypted_task_id_base64",
      "task_id_decryption_failed",
      "invalid_task_id_utf8",
    ];
    it.each(vectors.invalid_sealed_task_ids.map((v) => [v.key, v.why, v] as const))(
      "%s: %s",
      (_key, why, vector) => {
        setBackendForTesting(backend);
        const key = keyVector(vector.key);
        const error = catchError(() =>
          decryptTaskIdResponse(
            {
              agentRuntimeId: "agent",
              privateKeyPkcs8Base64: new Secret(key.private_key_pkcs8_base64),
            },
            vector.encrypted_task_id,
          ),
        );
        expect(codes).toContain(error.code);
        if (why.startsWith("decrypts to")) {
          expect(error.code).toBe("invalid_task_id_utf8");
        } else if (/flipped|different key|truncated|removed|only the ephemeral/.test(why)) {
          expect(error.code).toBe("task_id_decryption_failed");
        } else if (/base64|newline|space inside/.test(why)) {
          expect(error.code).toBe("invalid_encrypted_task_id_base64");
        }
        expectNoKeyMaterial(error);
      },
    );
  });

  describe("invalid assertions", () => {
    const codes: AgentIdentityErrorCode[] = [
      "invalid_assertion_scheme",
      "invalid_assertion_envelope",
      "invalid_assertion_timestamp",
      "invalid_assertion_signature",
    ];
    it.each(vectors.invalid_assertions.map((v) => [v.key, v.why, v] as const))(
      "%s: %s",
      (_key, _why, vector) => {
        setBackendForTesting(backend);
        const key = keyVector(vector.key);
        // With the clock check switched off, only the header's own defects can fail it.
        const error = catchError(() =>
          verifyAgentAssertion(vector.header, key.public_key_ssh, { maxSkewSeconds: Infinity }),
        );
        expect(codes).toContain(error.code);
        expectNoKeyMaterial(error);
      },
    );
  });
});

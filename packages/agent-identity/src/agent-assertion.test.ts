import { createPublicKey, verify as cryptoVerify } from "node:crypto";
import { Secret } from "@codex/wire";
import * as ed from "@noble/ed25519";
import { describe, expect, it } from "vitest";
import {
  AGENT_ASSERTION_SCHEME,
  authorizationHeaderForAgentTask,
  DEFAULT_MAX_SKEW_SECONDS,
  signTaskRegistrationPayload,
  verifyAgentAssertion,
} from "./agent-assertion.js";
import { AgentIdentityError } from "./agent-identity-error.js";
import { generateAgentKeyMaterial, verifyingKeyFromPrivateKeyPkcs8Base64 } from "./key-material.js";

// The Rust crate's test key: SigningKey::from_bytes(&[7u8; 32]).
const SEED_07_PKCS8 = new Secret(
  "MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH",
);
const SEED_07_SSH =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs";
const KEY = { agentRuntimeId: "agent-123", privateKeyPkcs8Base64: SEED_07_PKCS8 };
const TARGET = { agentRuntimeId: "agent-123", taskId: "task-123" };
const NOW = new Date("2026-04-15T00:00:00.999Z");

function decodeEnvelope(header: string): Record<string, unknown> {
  const token = header.slice(AGENT_ASSERTION_SCHEME.length);
  return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Record<string, unknown>;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AgentIdentityError) return error.code;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("authorizationHeaderForAgentTask", () => {
  it("serializes a signed agent assertion (Rust unit test)", () => {
    const header = authorizationHeaderForAgentTask(KEY, TARGET, { now: NOW });
    expect(header.startsWith("AgentAssertion ")).toBe(true);
    const envelope = decodeEnvelope(header);
    expect(Object.keys(envelope)).toEqual([
      "agent_runtime_id",
      "signature",
      "task_id",
      "timestamp",
    ]);
    expect(envelope.agent_runtime_id).toBe("agent-123");
    expect(envelope.task_id).toBe("task-123");
    // Whole seconds, Z; milliseconds are dropped, not rounded.
    expect(envelope.timestamp).toBe("2026-04-15T00:00:00Z");
    expect(envelope.signature).toBe(
      "ByAyE/9jW9Q8nEVjtwYaYmUT4wf4dC0b561Yt6Adzd2uJ7V8bcI5nUHpR8FBFZvWOr1kMB9L2b4HZlITNgMrCg==",
    );
    expect(verifyAgentAssertion(header, SEED_07_SSH, { now: NOW })).toEqual({
      agentRuntimeId: "agent-123",
      taskId: "task-123",
      timestamp: "2026-04-15T00:00:00Z",
    });
  });

  it("rejects a mismatched runtime with the Rust message", () => {
    let caught: unknown;
    try {
      authorizationHeaderForAgentTask(KEY, { agentRuntimeId: "agent-456", taskId: "task-123" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AgentIdentityError);
    expect((caught as AgentIdentityError).code).toBe("runtime_mismatch");
    expect((caught as AgentIdentityError).message).toBe(
      "agent task runtime agent-456 does not match stored agent identity agent-123",
    );
  });

  it("checks the runtime before it touches the private key", () => {
    const broken = { agentRuntimeId: "agent-123", privateKeyPkcs8Base64: new Secret("not a key") };
    expect(
      codeOf(() => authorizationHeaderForAgentTask(broken, { ...TARGET, agentRuntimeId: "x" })),
    ).toBe("runtime_mismatch");
  });

  it("reads the clock from a function and defaults to the system clock", () => {
    let calls = 0;
    const clock = () => {
      calls++;
      return new Date("2030-01-02T03:04:05Z");
    };
    const header = authorizationHeaderForAgentTask(KEY, TARGET, { now: clock });
    expect(calls).toBe(1);
    expect(decodeEnvelope(header).timestamp).toBe("2030-01-02T03:04:05Z");
    const live = authorizationHeaderForAgentTask(KEY, TARGET);
    expect(verifyAgentAssertion(live, SEED_07_SSH).taskId).toBe("task-123");
  });

  it("writes control characters, quotes and non-ASCII exactly as serde_json", () => {
    const taskId = 'q" b\\ /\u0000\u001f\u007f é 🚀';
    const header = authorizationHeaderForAgentTask(KEY, { ...TARGET, taskId }, { now: NOW });
    const json = Buffer.from(header.slice(15), "base64url").toString("utf8");
    expect(json).toContain('"task_id":"q\\" b\\\\ /\\u0000\\u001f\u007f é 🚀"');
    expect(verifyAgentAssertion(header, SEED_07_SSH, { now: NOW }).taskId).toBe(taskId);
  });

  it("formats years below 1000 with four digits", () => {
    const header = authorizationHeaderForAgentTask(KEY, TARGET, {
      now: new Date("0099-03-04T05:06:07Z"),
    });
    expect(decodeEnvelope(header).timestamp).toBe("0099-03-04T05:06:07Z");
  });
});

describe("signTaskRegistrationPayload", () => {
  it("signs runtime:timestamp deterministically (golden value)", () => {
    expect(signTaskRegistrationPayload(KEY, "2026-04-15T00:00:00Z")).toBe(
      "wrp6xEgzWun6WaoobuubwhnYeffmaCudJVbFYW19ity+YrF4jhTH+WrhaZzCRMs9xMscFcc1B143NPMMAihfCg==",
    );
  });

  it("uses the timestamp verbatim, as the Rust crate does", () => {
    const a = signTaskRegistrationPayload(KEY, "not a timestamp");
    const b = signTaskRegistrationPayload(KEY, "not a timestamp ");
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64")).toHaveLength(64);
  });
});

describe("verifyAgentAssertion", () => {
  const header = authorizationHeaderForAgentTask(KEY, TARGET, { now: NOW });
  const at = (iso: string) => ({ now: new Date(iso) });

  it(`allows ${DEFAULT_MAX_SKEW_SECONDS} s of skew either way by default`, () => {
    expect(verifyAgentAssertion(header, SEED_07_SSH, at("2026-04-15T00:05:00Z")).taskId).toBe(
      "task-123",
    );
    expect(verifyAgentAssertion(header, SEED_07_SSH, at("2026-04-14T23:55:00Z")).taskId).toBe(
      "task-123",
    );
    expect(
      codeOf(() => verifyAgentAssertion(header, SEED_07_SSH, at("2026-04-15T00:05:01Z"))),
    ).toBe("assertion_expired");
  });

  it("honours maxSkewSeconds, including 0 and Infinity", () => {
    const exact = { now: new Date("2026-04-15T00:00:00Z"), maxSkewSeconds: 0 };
    expect(verifyAgentAssertion(header, SEED_07_SSH, exact).agentRuntimeId).toBe("agent-123");
    expect(
      codeOf(() =>
        verifyAgentAssertion(header, SEED_07_SSH, {
          ...at("2026-04-15T00:00:01Z"),
          maxSkewSeconds: 0,
        }),
      ),
    ).toBe("assertion_expired");
    expect(
      verifyAgentAssertion(header, SEED_07_SSH, {
        ...at("2100-01-01T00:00:00Z"),
        maxSkewSeconds: Infinity,
      }).timestamp,
    ).toBe("2026-04-15T00:00:00Z");
  });

  it("accepts the raw 32-byte key as well as the ssh line", () => {
    const raw = verifyingKeyFromPrivateKeyPkcs8Base64(SEED_07_PKCS8);
    expect(verifyAgentAssertion(header, raw, { now: NOW }).taskId).toBe("task-123");
  });

  it("rejects a header signed by another key", () => {
    const other = generateAgentKeyMaterial();
    expect(codeOf(() => verifyAgentAssertion(header, other.publicKeySsh, { now: NOW }))).toBe(
      "invalid_assertion_signature",
    );
  });

  it("rejects each kind of malformed header with its own code", () => {
    const token = header.slice(15);
    const reencode = (json: string) => `AgentAssertion ${Buffer.from(json).toString("base64url")}`;
    const json = Buffer.from(token, "base64url").toString("utf8");
    const cases: [string, string][] = [
      [`Bearer ${token}`, "invalid_assertion_scheme"],
      [`agentassertion ${token}`, "invalid_assertion_scheme"],
      [`AgentAssertion  ${token}`, "invalid_assertion_envelope"],
      [`AgentAssertion ${token}=`, "invalid_assertion_envelope"],
      ["AgentAssertion ", "invalid_assertion_envelope"],
      [reencode(`${json} `), "invalid_assertion_envelope"],
      [reencode("[]"), "invalid_assertion_envelope"],
      [reencode("{"), "invalid_assertion_envelope"],
      [
        `AgentAssertion ${Buffer.from([0xff, 0xfe]).toString("base64url")}`,
        "invalid_assertion_envelope",
      ],
      [
        reencode(json.replace("2026-04-15T00:00:00Z", "2026-04-15T00:00:00.000Z")),
        "invalid_assertion_timestamp",
      ],
      [
        reencode(json.replace("2026-04-15T00:00:00Z", "2026-02-30T00:00:00Z")),
        "invalid_assertion_timestamp",
      ],
      [
        reencode(json.replace("2026-04-15T00:00:00Z", "2026-04-15T00:00:01Z")),
        "invalid_assertion_signature",
      ],
      [reencode(json.replace("Cg==", "Ch==")), "invalid_assertion_signature"],
      [reencode(json.replace("Cg==", "")), "invalid_assertion_signature"],
    ];
    expect(json).toContain("Cg==");
    for (const [bad, code] of cases) {
      expect(
        codeOf(() => verifyAgentAssertion(bad, SEED_07_SSH, { maxSkewSeconds: Infinity })),
      ).toBe(code);
    }
  });
});

it("refuses a forged assertion for the identity public key", () => {
  // With A = identity, (R = B, s = 1) satisfies [s]B = R + [k]A for every message.
  const identity = Uint8Array.of(1, ...new Uint8Array(31));
  const scalarOne = Uint8Array.of(1, ...new Uint8Array(31));
  const signature = Buffer.concat([ed.Point.BASE.toBytes(), scalarOne]).toString("base64");
  const json = `{"agent_runtime_id":"agent-123","signature":"${signature}","task_id":"task-123","timestamp":"2026-04-15T00:00:00Z"}`;
  const forged = `AgentAssertion ${Buffer.from(json).toString("base64url")}`;
  // node:crypto (OpenSSL) on its own accepts this forgery ...
  const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), identity]);
  const publicKey = createPublicKey({ key: spki, format: "der", type: "spki" });
  const payload = Buffer.from("agent-123:task-123:2026-04-15T00:00:00Z");
  expect(cryptoVerify(null, payload, publicKey, Buffer.from(signature, "base64"))).toBe(true);
  // ... so the key itself must be refused.
  expect(codeOf(() => verifyAgentAssertion(forged, identity, { now: NOW }))).toBe(
    "invalid_public_key",
  );
});

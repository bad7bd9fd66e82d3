/**
 * Seeded, bounded fuzzing: every mutation of a valid header, sealed task id or stored key is
 * either rejected with an AgentIdentityError or (for keys) yields a well-formed result; nothing
 * else escapes, and no mutated assertion ever verifies.
 */
import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import {
  AgentIdentityError,
  authorizationHeaderForAgentTask,
  decryptTaskIdResponse,
  publicKeySshFromPrivateKeyPkcs8Base64,
  sealTaskIdForPublicKey,
  verifyAgentAssertion,
} from "../src/index.js";

const PRIVATE_KEY_TEXT = "MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH";
const PRIVATE_KEY = new Secret(PRIVATE_KEY_TEXT);
const PUBLIC_KEY_SSH = publicKeySshFromPrivateKeyPkcs8Base64(PRIVATE_KEY);
const KEY = { agentRuntimeId: "agent-123", privateKeyPkcs8Base64: PRIVATE_KEY };
const NOW = new Date("2026-04-15T00:00:00Z");

/** xorshift32 with a fixed seed: the same cases on every run. */
function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const kind = Math.floor(random() * 3);
  const at = Math.floor(random() * out.length);
  if (kind === 0) {
    out[at] = out[at]! ^ (1 << Math.floor(random() * 8));
    return out;
  }
  if (kind === 1) return Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + 1)]);
  return Uint8Array.from([...out.subarray(0, at), Math.floor(random() * 256), ...out.subarray(at)]);
}

function expectTypedFailure(fn: () => unknown): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AgentIdentityError);
}

describe("fuzz", () => {
  it("no mutation of an assertion's JSON, token or header verifies", () => {
    const random = rng(0x5eed);
    const header = authorizationHeaderForAgentTask(
      KEY,
      { agentRuntimeId: "agent-123", taskId: 'tâche "1"\n' },
      { now: NOW },
    );
    const json = Buffer.from(header.slice(15), "base64url");
    for (let i = 0; i < 600; i++) {
      const mutatedJson = Buffer.from(mutate(json, random)).toString("base64url");
      expectTypedFailure(() =>
        verifyAgentAssertion(`AgentAssertion ${mutatedJson}`, PUBLIC_KEY_SSH, { now: NOW }),
      );
      const mutatedHeader = Buffer.from(mutate(Buffer.from(header, "latin1"), random)).toString(
        "latin1",
      );
      if (mutatedHeader !== header) {
        expectTypedFailure(() => verifyAgentAssertion(mutatedHeader, PUBLIC_KEY_SSH, { now: NOW }));
      }
    }
  });

  it("mutated sealed task ids fail with a typed error", () => {
    const random = rng(0xbeef);
    const sealed = Buffer.from(sealTaskIdForPublicKey(PUBLIC_KEY_SSH, "task-123"), "base64");
    const text = sealed.toString("base64");
    for (let i = 0; i < 400; i++) {
      const box = Buffer.from(mutate(sealed, random)).toString("base64");
      expectTypedFailure(() => decryptTaskIdResponse(KEY, box));
      const chars = Buffer.from(mutate(Buffer.from(text, "latin1"), random)).toString("latin1");
      if (chars !== text) expectTypedFailure(() => decryptTaskIdResponse(KEY, chars));
    }
  });

  it("mutated stored keys either fail typed or still give a well-formed ssh key", () => {
    const random = rng(0xc0de);
    const der = Buffer.from(PRIVATE_KEY_TEXT, "base64");
    for (let i = 0; i < 400; i++) {
      const mutated = Buffer.from(mutate(der, random));
      const b64 = mutated.toString("base64");
      let result: unknown;
      try {
        result = publicKeySshFromPrivateKeyPkcs8Base64(new Secret(b64));
      } catch (error) {
        expect(error).toBeInstanceOf(AgentIdentityError);
        continue;
      }
      // Only a change inside the 32 seed bytes keeps the key valid.
      expect(mutated.length).toBe(48);
      expect(mutated.subarray(0, 16)).toEqual(der.subarray(0, 16));
      expect(result).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}=?$/);
    }
  });
});

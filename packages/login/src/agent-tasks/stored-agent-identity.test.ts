import { generateAgentKeyMaterial } from "@codex/agent-identity";
import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import type { AgentIdentityRecord } from "../auth-dot-json.js";
import type { AgentIdentityBinding } from "./agent-identity-binding.js";
import {
  agentIdentityKeyOf,
  storedAgentIdentityFromRecord,
  storedAgentIdentityToRecord,
} from "./stored-agent-identity.js";

const binding: AgentIdentityBinding = {
  bindingId: "chatgpt-account-ws",
  chatgptAccountId: "ws",
  chatgptUserId: "user",
  email: "user@example.com",
  planType: "plus",
  chatgptAccountIsFedramp: false,
  accessToken: new Secret("at"),
};
const keys = generateAgentKeyMaterial();
const record: AgentIdentityRecord = {
  accountId: "ws",
  chatgptUserId: "user",
  agentRuntimeId: "agent",
  agentPrivateKey: keys.privateKeyPkcs8Base64,
  planType: "plus",
  chatgptAccountIsFedramp: false,
  taskId: "task",
};

describe("storedAgentIdentityFromRecord", () => {
  it("accepts a valid record and round-trips it", () => {
    const check = storedAgentIdentityFromRecord(binding, record);
    if (!check.ok) throw new Error(check.problem);
    expect(check.identity.publicKeySsh).toBe(keys.publicKeySsh);
    expect(storedAgentIdentityToRecord(check.identity)).toEqual(record);
    expect(agentIdentityKeyOf(check.identity)).toEqual({
      agentRuntimeId: "agent",
      privateKeyPkcs8Base64: keys.privateKeyPkcs8Base64,
    });
  });

  it.each([
    ["workspace_mismatch", { ...record, accountId: "other" }, undefined],
    [
      "invalid_private_key",
      { ...record, agentPrivateKey: new Secret("not-valid-base64") },
      undefined,
    ],
    ["invalid_private_key", { ...record, agentPrivateKey: new Secret("") }, undefined],
    ["binding_mismatch", { ...record, chatgptUserId: "someone-else" }, undefined],
    ["binding_mismatch", { ...record, chatgptUserId: "" }, undefined],
    ["public_key_mismatch", record, generateAgentKeyMaterial().publicKeySsh],
  ] as const)("reports %s", (problem, rec, expectedPublicKey) => {
    expect(storedAgentIdentityFromRecord(binding, rec, expectedPublicKey)).toEqual({
      ok: false,
      problem,
    });
  });

  it("accepts any user when the binding has none", () => {
    const anyUser = { ...binding, chatgptUserId: undefined };
    expect(storedAgentIdentityFromRecord(anyUser, { ...record, chatgptUserId: "x" }).ok).toBe(true);
  });

  it("encodes the public key with upstream's ssh-ed25519 wire shape", () => {
    const [scheme, blob] = keys.publicKeySsh.split(" ");
    expect(scheme).toBe("ssh-ed25519");
    const decoded = Buffer.from(blob ?? "", "base64");
    expect([...decoded.subarray(0, 4)]).toEqual([0, 0, 0, 11]);
    expect(decoded.subarray(4, 15).toString()).toBe("ssh-ed25519");
    expect([...decoded.subarray(15, 19)]).toEqual([0, 0, 0, 32]);
    expect(decoded).toHaveLength(51);
  });
});

import { generateAgentKeyMaterial } from "@codex/agent-identity";
import { silentLogger } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { makeChatgptAuth, readAuthJson } from "../../test/e2e-chatgpt-auth.js";
import { agentIdentityBindingFromAuth } from "./agent-identity-binding.js";
import { loadStoredIdentity } from "./load-stored-identity.js";

describe("loadStoredIdentity", () => {
  it("returns a valid record and deletes a stale one from the store", async () => {
    const { auth, home } = await makeChatgptAuth("ws", "user");
    const binding = agentIdentityBindingFromAuth(auth);
    if (!binding) throw new Error("binding");
    await expect(loadStoredIdentity(auth, binding, silentLogger)).resolves.toBeUndefined();
    const keys = generateAgentKeyMaterial();
    await auth.setAgentIdentity({
      accountId: "ws",
      chatgptUserId: "user",
      agentRuntimeId: "agent",
      agentPrivateKey: keys.privateKeyPkcs8Base64,
      planType: "plus",
      chatgptAccountIsFedramp: false,
    });
    const ok = await loadStoredIdentity(auth, binding, silentLogger);
    expect(ok?.agentRuntimeId).toBe("agent");
    const other = agentIdentityBindingFromAuth(auth, "ws-other");
    if (!other) throw new Error("binding");
    await expect(loadStoredIdentity(auth, other, silentLogger)).resolves.toBeUndefined();
    expect((await readAuthJson(home)).agent_identity).toBeUndefined();
  });
});

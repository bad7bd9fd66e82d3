import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { fakeIdToken, makeChatgptAuth } from "../../test/e2e-chatgpt-auth.js";
import { CodexAuth } from "../codex-auth.js";
import { parseIdToken } from "../id-token.js";
import { agentIdentityBindingFromAuth } from "./agent-identity-binding.js";

describe("agentIdentityBindingFromAuth", () => {
  it("binds to the token account and user", async () => {
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    const binding = agentIdentityBindingFromAuth(auth);
    expect(binding).toMatchObject({
      bindingId: "chatgpt-account-account-123",
      chatgptAccountId: "account-123",
      chatgptUserId: "user-123",
    });
    expect(binding?.accessToken.reveal()).toBe("access-token-account-123");
    expect(JSON.stringify(binding)).not.toContain("access-token-account-123");
  });

  it("prefers a non-empty forced workspace id", async () => {
    const { auth } = await makeChatgptAuth("account-123", undefined);
    expect(agentIdentityBindingFromAuth(auth, "ws-f")?.bindingId).toBe("chatgpt-account-ws-f");
    expect(agentIdentityBindingFromAuth(auth, "")?.bindingId).toBe("chatgpt-account-account-123");
    expect(agentIdentityBindingFromAuth(auth)?.chatgptUserId).toBeUndefined();
  });

  it("has no binding for API keys, missing auth, missing token data or account", () => {
    expect(agentIdentityBindingFromAuth(undefined)).toBeUndefined();
    expect(agentIdentityBindingFromAuth(CodexAuth.fromApiKey("sk-abcdef123"))).toBeUndefined();
    const tokens = {
      idToken: parseIdToken(fakeIdToken("a", "")),
      accessToken: new Secret("at"),
      refreshToken: new Secret("rt"),
      accountId: null,
    };
    const noRefresh = CodexAuth.fromAuthDotJson({ openaiApiKey: null, tokens }, undefined);
    expect(agentIdentityBindingFromAuth(noRefresh)).toBeUndefined();
    const noAccount = CodexAuth.fromAuthDotJson(
      { openaiApiKey: null, tokens, lastRefresh: "2026-01-01T00:00:00Z" },
      undefined,
    );
    expect(agentIdentityBindingFromAuth(noAccount)).toBeUndefined();
    expect(agentIdentityBindingFromAuth(noAccount, "ws")?.chatgptUserId).toBeUndefined();
  });
});

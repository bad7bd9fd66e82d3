import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { type LoginAuthSource, type LoginCredentials, modelAuthFromLogin } from "./login-auth.js";
import type { AuthRecovery } from "./model-auth.js";
import { authHeaders } from "./model-auth.js";

function credentials(
  kind: "chatgpt" | "api_key",
  token: string,
  fedramp = false,
): LoginCredentials {
  return {
    isChatgptAuth: () => kind === "chatgpt",
    getToken: () => new Secret(token),
    getAccountId: () => (kind === "chatgpt" ? "acct-1" : undefined),
    isFedrampAccount: () => fedramp,
  };
}

const recovery: AuthRecovery = {
  mode: "managed",
  stepName: () => "reload",
  hasNext: () => true,
  unavailableReason: () => "ready",
  next: async () => ({ authStateChanged: true }),
};

function manager(auth: LoginCredentials | undefined, authorization: string): LoginAuthSource {
  return {
    auth: async () => auth,
    chatgptRequestAuthHeaders: async () => ({ authorization }),
    unauthorizedRecovery: () => recovery,
  };
}

describe("modelAuthFromLogin", () => {
  it("sends the manager's AgentAssertion for ChatGPT logins, without the account id header", async () => {
    const auth = modelAuthFromLogin(manager(credentials("chatgpt", "at"), "AgentAssertion abc"));
    const request = await auth.requestAuth();
    expect(request?.mode).toBe("chatgpt");
    expect(authHeaders(request)).toEqual({ authorization: "AgentAssertion abc" });
    expect(auth.unauthorizedRecovery?.()).toBe(recovery);
  });

  it("sends a ChatGPT Bearer with account id and FedRAMP flag", async () => {
    const auth = modelAuthFromLogin(manager(credentials("chatgpt", "at", true), "Bearer at"));
    expect(authHeaders(await auth.requestAuth())).toEqual({
      authorization: "Bearer at",
      "chatgpt-account-id": "acct-1",
      "x-openai-fedramp": "true",
    });
  });

  it("sends an API key as Bearer and nothing when logged out", async () => {
    const key = modelAuthFromLogin(manager(credentials("api_key", "sk-1"), ""));
    expect(authHeaders(await key.requestAuth())).toEqual({ authorization: "Bearer sk-1" });
    expect(await modelAuthFromLogin(manager(undefined, "")).requestAuth()).toBeUndefined();
    expect(
      await modelAuthFromLogin(manager(credentials("chatgpt", "at"), "")).requestAuth(),
    ).toBeUndefined();
  });
});

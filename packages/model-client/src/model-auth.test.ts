import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import {
  apiKeyAuth,
  authHeaders,
  isAgentAssertionAuthorization,
  resolveRequestAuth,
} from "./model-auth.js";
import { ModelClientError } from "./model-client-error.js";

describe("authHeaders", () => {
  it("sends chatgpt-account-id with a ChatGPT Bearer", () => {
    expect(
      authHeaders({ mode: "chatgpt", authorization: new Secret("Bearer at"), accountId: "acct-1" }),
    ).toEqual({ authorization: "Bearer at", "chatgpt-account-id": "acct-1" });
  });

  it("never sends chatgpt-account-id with an AgentAssertion", () => {
    expect(
      authHeaders({
        mode: "chatgpt",
        authorization: new Secret("AgentAssertion eyJh"),
        accountId: "acct-1",
      }),
    ).toEqual({ authorization: "AgentAssertion eyJh" });
  });

  it("never sends an account id with an API key; adds the FedRAMP flag when set", () => {
    expect(
      authHeaders({ mode: "api_key", authorization: new Secret("Bearer sk-1"), accountId: "a" }),
    ).toEqual({ authorization: "Bearer sk-1" });
    expect(
      authHeaders({ mode: "chatgpt", authorization: new Secret("Bearer t"), fedramp: true }),
    ).toEqual({ authorization: "Bearer t", "x-openai-fedramp": "true" });
    expect(authHeaders(undefined)).toEqual({});
  });

  it("recognises AgentAssertion values", () => {
    expect(isAgentAssertionAuthorization("AgentAssertion x")).toBe(true);
    expect(isAgentAssertionAuthorization(new Secret("Bearer x"))).toBe(false);
  });
});

describe("resolveRequestAuth", () => {
  const login = apiKeyAuth("sk-login");

  it("prefers the provider's env key, then its bearer token, then the login", async () => {
    const env = { MY_KEY: "sk-env" };
    const fromEnv = await resolveRequestAuth({ name: "n", envKey: "MY_KEY" }, login, env);
    expect(fromEnv?.authorization.reveal()).toBe("Bearer sk-env");
    const fromToken = await resolveRequestAuth(
      { name: "n", experimentalBearerToken: "tok" },
      login,
      env,
    );
    expect(fromToken?.authorization.reveal()).toBe("Bearer tok");
    const fromLogin = await resolveRequestAuth({ name: "n" }, login, env);
    expect(fromLogin?.authorization.reveal()).toBe("Bearer sk-login");
    expect(await resolveRequestAuth({ name: "n" }, undefined, env)).toBeUndefined();
  });

  it("fails with missing_auth when the env key is missing or blank, without echoing values", async () => {
    for (const env of [{}, { MY_KEY: "  " }]) {
      const error = await resolveRequestAuth(
        { name: "n", envKey: "MY_KEY", envKeyInstructions: "Set it." },
        login,
        env,
      ).catch((e: unknown) => e);
      expect(ModelClientError.is(error)).toBe(true);
      expect((error as ModelClientError).code).toBe("missing_auth");
      expect((error as Error).message).toContain("MY_KEY");
      expect((error as Error).message).toContain("Set it.");
    }
  });

  it("apiKeyAuth refuses an empty key and keeps the key out of printing", async () => {
    expect(() => apiKeyAuth("")).toThrow(ModelClientError);
    expect(() => apiKeyAuth(new Secret(" "))).toThrow(ModelClientError);
    const auth = await apiKeyAuth("sk-secret-1").requestAuth();
    expect(JSON.stringify(auth)).not.toContain("sk-secret-1");
  });
});

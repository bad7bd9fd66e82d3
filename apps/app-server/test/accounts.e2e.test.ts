/**
 * The built `codex-app-server` over stdio against the fake backend: 0.169's account surface
 * (app-server-0169.md §4). Every message the server writes validates against schema-0.169.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type FakeBackend, startFakeBackend } from "@codex/fake-backend";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppServerProcess, type Message } from "./support/app-server-process.js";

let backend: FakeBackend;
const servers: AppServerProcess[] = [];

beforeAll(async () => {
  backend = await startFakeBackend({
    now: () => 1_900_000_000_000,
    account: {
      email: "demo@example.com",
      chatgptAccountId: "acct-demo",
      chatgptUserId: "user-demo",
      planType: "plus",
      workspaceName: "Bars",
      workspaceBackendOrigin: "https://127.0.0.1",
    },
    rateLimits: {
      primary: { usedPercent: 12, windowMinutes: 300, resetAfterSeconds: 100_000 },
      secondary: { usedPercent: 40, windowMinutes: 10_080, resetAfterSeconds: 200_000 },
      credits: { hasCredits: false, unlimited: false },
    },
  });
});
afterAll(async () => {
  await backend.close();
});
afterEach(async () => {
  for (const server of servers.splice(0)) {
    expect(server.violations).toEqual([]);
    await server.dispose();
  }
});

function start(options: Partial<ConstructorParameters<typeof AppServerProcess>[0]> = {}) {
  const server = new AppServerProcess({ backend, ...options });
  servers.push(server);
  return server;
}

const errorOf = (reply: Message) => reply.error as { code: number; message: string };
const paramsOf = (message: Message) => message.params as Record<string, unknown>;

function externalTokens(accountId = "acct-demo") {
  return {
    type: "chatgptAuthTokens",
    accessToken: backend.issueTokens().accessToken,
    chatgptAccountId: accountId,
    chatgptPlanType: null,
  };
}

describe("API key login (0.169 §4)", () => {
  it("logs in: result, login/completed then account/updated, auth.json 0600; account/read, getAuthStatus, rateLimits refusal, logout", async () => {
    const server = start();
    await server.initialize();
    const from = server.messages.length;
    const login = await server.request("account/login/start", {
      type: "apiKey",
      apiKey: "sk-test-key",
    });
    expect(login.result).toEqual({ type: "apiKey" });
    const updated = await server.notification("account/updated", from);
    expect(server.notificationsSince(from)).toEqual(["account/login/completed", "account/updated"]);
    expect(paramsOf(server.messages.find((m) => m.method === "account/login/completed")!)).toEqual({
      loginId: null,
      success: true,
      error: null,
      onboardingEntrypoint: null,
    });
    expect(paramsOf(updated)).toEqual({ authMode: "apikey", planType: null });
    const authFile = join(server.home, "auth.json");
    expect(statSync(authFile).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(readFileSync(authFile, "utf8")) as object).sort()).toEqual([
      "OPENAI_API_KEY",
      "auth_mode",
    ]);

    expect((await server.request("account/read", { refreshToken: false })).result).toEqual({
      account: { type: "apiKey" },
      userId: null,
      requiresOpenaiAuth: true,
      workspaceRouting: null,
    });
    expect((await server.request("getAuthStatus", { includeToken: true })).result).toEqual({
      authMethod: "apikey",
      authToken: "sk-test-key",
      requiresOpenaiAuth: true,
    });
    expect((await server.request("getAuthStatus", {})).result).toEqual({
      authMethod: "apikey",
      authToken: null,
      requiresOpenaiAuth: true,
    });
    expect(errorOf(await server.request("account/rateLimits/read"))).toEqual({
      code: -32600,
      message: "chatgpt authentication required to read rate limits",
    });

    const beforeLogout = server.messages.length;
    expect((await server.request("account/logout")).result).toEqual({});
    const loggedOut = await server.notification("account/updated", beforeLogout);
    expect(paramsOf(loggedOut)).toEqual({ authMode: null, planType: null });
    expect(() => statSync(authFile)).toThrow();
    expect(errorOf(await server.request("account/rateLimits/read"))).toEqual({
      code: -32600,
      message: "codex account authentication required to read rate limits",
    });
    expect(backend.state.requests.some((r) => r.endpoint === "wham.usage")).toBe(false);
  });

  it("forced_login_method = chatgpt refuses API keys with upstream's text", async () => {
    const server = start({ configLines: ['forced_login_method = "chatgpt"'] });
    await server.initialize();
    expect(
      errorOf(await server.request("account/login/start", { type: "apiKey", apiKey: "sk-x" })),
    ).toEqual({ code: -32600, message: "API key login is disabled. Use ChatGPT login instead." });
  });
});

describe("external ChatGPT tokens (chatgptAuthTokens)", () => {
  it("needs experimentalApi, a JWT; then account/read with workspace routing, rate limits, refusals, logout", async () => {
    const plain = start();
    await plain.initialize();
    expect(errorOf(await plain.request("account/login/start", externalTokens()))).toEqual({
      code: -32600,
      message: "account/login/start.chatgptAuthTokens requires experimentalApi capability",
    });

    const server = start();
    await server.initialize({ experimentalApi: true });
    expect(
      errorOf(
        await server.request("account/login/start", {
          ...externalTokens(),
          accessToken: "opaque-token",
        }),
      ),
    ).toEqual({ code: -32603, message: "failed to set external auth: invalid ID token format" });

    const from = server.messages.length;
    const tokens = externalTokens();
    expect((await server.request("account/login/start", tokens)).result).toEqual({
      type: "chatgptAuthTokens",
    });
    const updated = await server.notification("account/updated", from);
    expect(server.notificationsSince(from)).toEqual(["account/login/completed", "account/updated"]);
    expect(paramsOf(updated)).toEqual({ authMode: "chatgptAuthTokens", planType: "plus" });
    expect(() => statSync(join(server.home, "auth.json"))).toThrow();

    expect((await server.request("account/read", { refreshToken: true })).result).toEqual({
      account: {
        type: "chatgpt",
        email: "demo@example.com",
        planType: "plus",
        workspaceName: "Bars",
      },
      userId: "user-demo",
      requiresOpenaiAuth: true,
      workspaceRouting: {
        chatgptAccountId: "acct-demo",
        backendOrigin: "https://127.0.0.1",
        accountRoutingOverride: "NO_CONSTRAINT",
      },
    });
    const check = backend.state.requests.filter((r) => r.endpoint === "accounts.check").at(-1);
    expect(check?.headers["chatgpt-account-id"]).toBe("acct-demo");

    expect((await server.request("getAuthStatus", { includeToken: true })).result).toEqual({
      authMethod: "chatgptAuthTokens",
      authToken: tokens.accessToken,
      requiresOpenaiAuth: true,
    });

    const limits = await server.request("account/rateLimits/read", {});
    const snapshot = {
      limitId: "codex",
      limitName: null,
      normalModelSlug: null,
      primary: { usedPercent: 12, windowDurationMins: 300, resetsAt: 1_900_100_000 },
      secondary: { usedPercent: 40, windowDurationMins: 10_080, resetsAt: 1_900_200_000 },
      credits: { hasCredits: false, unlimited: false, balance: null },
      individualLimit: null,
      spendControlReached: null,
      planType: "plus",
      rateLimitReachedType: null,
    };
    // the keys, in the order, of the real 0.169 against this backend
    expect(JSON.stringify(limits.result)).toBe(
      JSON.stringify({
        ordinaryUsageAllowed: null,
        rateLimits: snapshot,
        rateLimitsByLimitId: { codex: snapshot },
        rateLimitResetCredits: null,
        accountId: null,
        rateLimitUpsell: null,
      }),
    );
    const usage = backend.state.requests.filter((r) => r.endpoint === "wham.usage").at(-1);
    expect(usage?.headers.authorization).toBe(`Bearer ${tokens.accessToken}`);
    expect(usage?.headers["chatgpt-account-id"]).toBe("acct-demo");
    expect(usage?.headers["x-oai-attestation"]).toBeUndefined();

    const active =
      "External auth is active. Use account/login/start (chatgptAuthTokens) to update it or account/logout to clear it.";
    expect(
      errorOf(await server.request("account/login/start", { type: "apiKey", apiKey: "sk-x" })),
    ).toEqual({ code: -32600, message: active });
    expect(errorOf(await server.request("account/login/start", { type: "chatgpt" }))).toEqual({
      code: -32600,
      message: active,
    });

    expect((await server.request("account/logout", null)).result).toEqual({});
    expect((await server.request("account/read", {})).result).toMatchObject({ account: null });
    expect(server.stderr).not.toContain(tokens.accessToken);
  });

  it("like 0.169, a workspace routing failure fails the login and account/read", async () => {
    const bare = await startFakeBackend({ account: { chatgptAccountId: "acct-demo" } });
    try {
      const server = start({ backend: bare });
      await server.initialize({ experimentalApi: true });
      const from = server.messages.length;
      await server.request("account/login/start", {
        type: "chatgptAuthTokens",
        accessToken: bare.issueTokens().accessToken,
        chatgptAccountId: "acct-demo",
      });
      const completed = await server.notification("account/login/completed", from);
      expect(paramsOf(completed)).toEqual({
        loginId: null,
        success: false,
        error: "workspace routing discovery missing backend origin",
        onboardingEntrypoint: null,
      });
      expect(errorOf(await server.request("account/read", {}))).toEqual({
        code: -32603,
        message: "workspace routing discovery missing backend origin",
      });
      expect(server.notificationsSince(from)).toEqual(["account/login/completed"]);
    } finally {
      await bare.close();
    }
  });

  it("forced workspace and forced API login refuse with upstream's texts", async () => {
    const server = start({ configLines: ['forced_chatgpt_workspace_id = "acct-allowed"'] });
    await server.initialize({ experimentalApi: true });
    expect(errorOf(await server.request("account/login/start", externalTokens()))).toEqual({
      code: -32600,
      message:
        'External auth must use one of workspace(s) ["acct-allowed"], but received "acct-demo".',
    });
    const api = start({ configLines: ['forced_login_method = "api"'] });
    await api.initialize({ experimentalApi: true });
    expect(errorOf(await api.request("account/login/start", externalTokens()))).toEqual({
      code: -32600,
      message: "External ChatGPT auth is disabled. Use API key login instead.",
    });
    expect(errorOf(await api.request("account/login/start", { type: "chatgpt" }))).toEqual({
      code: -32600,
      message: "ChatGPT login is disabled. Use API key login instead.",
    });
  });

  it("optOutNotificationMethods drops account/updated (login and logout) but not login/completed", async () => {
    const server = start();
    await server.initialize({
      experimentalApi: true,
      optOutNotificationMethods: ["account/updated", "no/such/notification"],
    });
    await server.request("account/login/start", externalTokens());
    await server.notification("account/login/completed");
    await server.request("account/logout", {});
    // a request after both: anything they were going to send has been written by its reply
    await server.request("account/read", {});
    await server.request("account/read", {});
    expect(server.notificationsSince(0)).toEqual(["account/login/completed"]);
  });
});

describe("browser login (chatgpt)", () => {
  it("completes through the issuer: login/completed with the loginId, then account/updated (chatgpt)", async () => {
    const server = start();
    await server.initialize();
    const started = await server.request("account/login/start", { type: "chatgpt" });
    const { loginId, authUrl } = started.result as { loginId: string; authUrl: string };
    const from = server.messages.length;
    // the browser: the fake issuer redirects to the loopback callback, which finishes the login
    const page = await fetch(authUrl);
    expect(page.status).toBe(200);
    const updated = await server.notification("account/updated", from);
    expect(paramsOf(server.messages.find((m) => m.method === "account/login/completed")!)).toEqual({
      loginId,
      success: true,
      error: null,
      onboardingEntrypoint: null,
    });
    expect(paramsOf(updated)).toEqual({ authMode: "chatgpt", planType: "plus" });
    expect((await server.request("account/read", {})).result).toMatchObject({
      account: { type: "chatgpt", email: "demo@example.com", planType: "plus" },
      userId: "user-demo",
    });
  });

  it("starts with an authUrl and a loginId, stays logged out, cancels with login/completed", async () => {
    const server = start();
    await server.initialize();
    const started = await server.request("account/login/start", { type: "chatgpt" });
    const result = started.result as { type: string; loginId: string; authUrl: string };
    expect(result.type).toBe("chatgpt");
    expect(result.loginId).toMatch(/^[0-9a-f-]{36}$/);
    const url = new URL(result.authUrl);
    expect(url.searchParams.get("originator")).toBe("acme_desktop");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toMatch(
      /^http:\/\/localhost:\d+\/auth\/callback$|^http:\/\/127\.0\.0\.1:\d+\/auth\/callback$/,
    );
    expect((await server.request("account/read", {})).result).toMatchObject({ account: null });

    const from = server.messages.length;
    const cancel = await server.request("account/login/cancel", { loginId: result.loginId });
    expect(cancel.result).toEqual({ status: "canceled" });
    const completed = await server.notification("account/login/completed", from);
    expect(paramsOf(completed)).toEqual({
      loginId: result.loginId,
      success: false,
      error: "Login server error: Login was not completed",
      onboardingEntrypoint: null,
    });
    expect(server.messages.indexOf(cancel)).toBeLessThan(server.messages.indexOf(completed));
    expect(
      (await server.request("account/login/cancel", { loginId: result.loginId })).result,
    ).toEqual({ status: "notFound" });
  });
});

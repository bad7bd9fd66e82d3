// Whole lifecycle over real loopback sockets against @codex/fake-backend: browser login (HTTP
// client as browser) → AuthManager → agent identity registration → task registration →
// AgentAssertion accepted by the backend → a new login drops the identity → logout revokes and
// removes auth.json. Also device-code login.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeBackend, type FakeBackendOptions, startFakeBackend } from "@codex/fake-backend";
import { createHttpClient } from "@codex/http";
import { Secret } from "@codex/wire";
import { afterEach, describe, expect, it } from "vitest";
import { AgentIdentityManager } from "../src/agent-tasks/agent-identity-manager.js";
import {
  chatgptAuthorizationHeader,
  chatgptRequestAuthHeaders,
} from "../src/agent-tasks/background-task-auth.js";
import { AuthManager } from "../src/auth-manager.js";
import { startDeviceCodeLogin } from "../src/flows/device-code-login.js";
import { startLoginServer } from "../src/flows/login-server.js";
import { logoutWithRevoke } from "../src/flows/logout.js";
import { refreshTokens } from "../src/token-endpoint.js";
import { captureLogger, leakedSecrets } from "./e2e-capture.js";
import { registerSecret } from "./support/capture.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), "codex-e2e-agent-"));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  return home;
}

async function startBackend(
  chatgptAccountId: string,
  options: FakeBackendOptions = {},
): Promise<FakeBackend> {
  const backend = await startFakeBackend({
    ...options,
    account: { chatgptAccountId, chatgptUserId: "user-agent", email: "e2e@example.com" },
  });
  cleanups.push(() => backend.close());
  return backend;
}

/** The tokens of auth.json, registered for the suite's secret scan. */
async function storedTokens(home: string): Promise<Record<string, string>> {
  const saved = JSON.parse(await readFile(join(home, "auth.json"), "utf8"));
  const { id_token, access_token, refresh_token } = saved.tokens as Record<string, string>;
  const tokens: Record<string, string> = {};
  for (const [key, value] of Object.entries({ id_token, access_token, refresh_token })) {
    tokens[key] = registerSecret(value ?? "");
  }
  return tokens;
}

/** The refresh token was issued by `backend` and never spent: the issuer rotates it once. */
async function expectLiveRefreshToken(backend: FakeBackend, refreshToken: string): Promise<void> {
  const rotated = await refreshTokens(new Secret(refreshToken), {
    http: createHttpClient(),
    url: `${backend.issuerUrl}/oauth/token`,
  });
  registerSecret(rotated.refreshToken?.reveal() ?? "");
  expect(backend.state.tokenGrants.at(-1)).toEqual(
    expect.objectContaining({ grantType: "refresh_token", outcome: "ok" }),
  );
}

async function browserLogin(home: string, backend: FakeBackend) {
  const login = await startLoginServer({ codexHome: home, issuer: backend.issuerUrl, port: 0 });
  let url = login.authUrl;
  for (let i = 0; i < 4; i++) {
    const res = await fetch(url, { redirect: "manual" });
    const location = res.headers.get("location");
    await res.arrayBuffer();
    if (!location) break;
    url = new URL(location, url).toString();
  }
  return login.done;
}

describe("agent identity end to end (fake-backend issuer and backend)", () => {
  it("logs in, registers identity and task, and the backend accepts the AgentAssertion", async () => {
    const home = await tempHome();
    // Responses calls need a valid AgentAssertion: a Bearer token is refused with 401
    const backend = await startBackend("ws-agent", { require: { agentAssertion: true } });
    const log = captureLogger();
    const protectedCall = (headers: Record<string, string>) =>
      fetch(`${backend.chatgptBaseUrl}/codex/responses`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-test", input: [{ role: "user", content: "hi" }] }),
      }).then(async (res) => {
        await res.text();
        return res.status;
      });

    await browserLogin(home, backend);
    const firstTokens = await storedTokens(home);
    const manager = await AuthManager.create({ codexHome: home, env: {}, logger: log.logger });
    const agents = new AgentIdentityManager({
      auth: () => manager.auth(),
      forcedWorkspaceId: () => manager.forcedChatgptWorkspaceId,
      chatgptBaseUrl: backend.chatgptBaseUrl,
      enabled: true,
      sessionSource: "vscode",
      logger: log.logger,
      http: createHttpClient({ logger: log.logger }),
    });
    const task = await agents.ensureBackgroundTask();
    if (task === undefined) throw new Error("expected a registered background task");
    expect([...backend.state.agents.keys()]).toEqual([task.agentRuntimeId]);
    expect(backend.state.tasks.get(task.taskId)?.agentRuntimeId).toBe(task.agentRuntimeId);
    expect(backend.state.agents.get(task.agentRuntimeId)?.abom).toMatchObject({
      agent_harness_id: "codex-app",
    });
    const biscuit = backend.state.lastRequest("agent.register")?.headers["x-openai-authorization"];
    if (biscuit === undefined) throw new Error("expected the registration to carry a biscuit");
    registerSecret(biscuit);

    const file = join(home, "auth.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, "utf8"));
    // upstream 0.169's record (login-0169.md §1.1), the task id as its task_id
    expect(Object.keys(saved.agent_identity)).toEqual([
      "agent_runtime_id",
      "agent_private_key",
      "account_id",
      "chatgpt_user_id",
      "email",
      "plan_type",
      "chatgpt_account_is_fedramp",
      "task_id",
    ]);
    expect(saved.agent_identity).toMatchObject({
      agent_runtime_id: task.agentRuntimeId,
      account_id: "ws-agent",
      chatgpt_user_id: "user-agent",
      email: "e2e@example.com",
      chatgpt_account_is_fedramp: false,
      task_id: task.taskId,
    });

    // A fresh manager (another process) reads the stored identity and signs with it.
    const later = await AuthManager.create({ codexHome: home, env: {} });
    const options = {
      mode: "enabled" as const,
      chatgptBaseUrl: backend.chatgptBaseUrl,
      extraAllowedHosts: ["127.0.0.1"],
    };
    const value = await chatgptAuthorizationHeader(later, options);
    expect(value?.startsWith("AgentAssertion ")).toBe(true);
    const headers = await chatgptRequestAuthHeaders(await later.auth(), options);
    expect(await protectedCall(headers)).toBe(200);
    const accepted = backend.state.lastRequest("codex.responses");
    expect(accepted?.assertion).toMatchObject({
      verified: true,
      agentRuntimeId: task.agentRuntimeId,
      taskId: task.taskId,
    });
    expect(accepted?.headers["chatgpt-account-id"]).toBeUndefined();

    // The same decision through a manager configured with the backend settings (what
    // model-client uses: no options threaded per call).
    const configured = await AuthManager.create({
      codexHome: home,
      env: {},
      chatgptBackend: {
        baseUrl: backend.chatgptBaseUrl,
        mode: "enabled",
        extraAllowedHosts: ["127.0.0.1"],
      },
    });
    expect((await configured.chatgptAuthorizationHeader())?.startsWith("AgentAssertion ")).toBe(
      true,
    );
    const viaManager = await configured.chatgptRequestAuthHeaders();
    expect(Object.keys(viaManager)).toEqual(["authorization"]);
    expect(await protectedCall(viaManager)).toBe(200);
    configured.setChatgptBackend({ baseUrl: backend.chatgptBaseUrl, mode: "enabled" });
    expect(await configured.chatgptRequestAuthHeaders()).toMatchObject({
      "chatgpt-account-id": "ws-agent",
    });

    // Without the loopback allowlist the same auth falls back to Bearer, which the backend refuses.
    const bearer = await chatgptRequestAuthHeaders(await later.auth(), {
      mode: "enabled",
      chatgptBaseUrl: backend.chatgptBaseUrl,
    });
    expect(bearer["chatgpt-account-id"]).toBe("ws-agent");
    expect(await protectedCall(bearer)).toBe(401);

    // Reuse: no second registration.
    await agents.ensureBackgroundTask();
    expect(backend.state.requests.filter((r) => r.endpoint === "agent.register")).toHaveLength(1);

    // A new login drops the identity and revokes the refresh token it supersedes, then logout
    // revokes the new one and removes everything.
    await browserLogin(home, backend);
    expect(JSON.parse(await readFile(file, "utf8")).agent_identity).toBeUndefined();
    const secondTokens = await storedTokens(home);
    expect(secondTokens.refresh_token).not.toBe(firstTokens.refresh_token);
    await later.reload();
    const out = await logoutWithRevoke(later, { issuer: backend.issuerUrl, env: {} });
    expect(out).toEqual({ removed: true, revoke: "revoked_refresh_token" });
    await expect(stat(file)).rejects.toMatchObject({ code: "ENOENT" });
    const revoked = backend.state.requests.filter((r) => r.endpoint === "oauth.revoke");
    expect(revoked.map((r) => (r.body as { token?: string }).token)).toEqual([
      firstTokens.refresh_token,
      secondTokens.refresh_token,
    ]);
    expect(backend.state.revocations.map((r) => r.matched)).toEqual([
      "refresh_token",
      "refresh_token",
    ]);

    const key = registerSecret(saved.agent_identity.agent_private_key as string);
    expect(
      leakedSecrets(log.text(), [
        ...Object.values(firstTokens),
        ...Object.values(secondTokens),
        biscuit,
        key,
      ]),
    ).toEqual([]);
  });

  it("device-code login against the fake-backend issuer saves credentials with no API key", async () => {
    const home = await tempHome();
    // the first poll answers slow_down, the next two are pending
    const backend = await startBackend("ws-device", {
      deviceAuth: { intervalSeconds: 0, slowDownPolls: 1, pendingPolls: 2 },
    });
    const sleeps: number[] = [];
    const manager = await AuthManager.create({ codexHome: home, env: {} });
    expect(manager.authCached()).toBeUndefined();
    const login = await startDeviceCodeLogin({
      codexHome: home,
      authManager: manager,
      issuer: backend.issuerUrl,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(login.verificationUrl).toBe(`${backend.issuerUrl}/codex/device`);
    expect(login.userCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const result = await login.done;
    expect(result.accountId).toBe("ws-device");
    expect(sleeps).toEqual([5000, 5000, 5000]);
    expect(manager.authCached()?.getAccountId()).toBe("ws-device");
    const saved = JSON.parse(await readFile(join(home, "auth.json"), "utf8"));
    expect(saved.OPENAI_API_KEY).toBeNull();
    const polls = backend.state.requests.filter((r) => r.endpoint === "deviceauth.token");
    expect(polls.map((r) => r.status)).toEqual([400, 403, 403, 200]);
    expect(polls.map((r) => (r.body as { user_code?: string }).user_code)).toEqual(
      Array(4).fill(login.userCode),
    );
    await storedTokens(home);
    await expectLiveRefreshToken(backend, saved.tokens.refresh_token);
  });

  it("device-code login reports an issuer without it", async () => {
    const home = await tempHome();
    const backend = await startBackend("ws-device", { deviceAuth: { enabled: false } });
    await expect(
      startDeviceCodeLogin({ codexHome: home, issuer: backend.issuerUrl }),
    ).rejects.toMatchObject({ code: "device_code_unsupported" });
  });
});

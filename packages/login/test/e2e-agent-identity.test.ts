// Whole lifecycle over real loopback servers: browser login (HTTP client as browser) → AuthManager
// → agent identity registration → task registration → AgentAssertion accepted by the backend →
// a new login drops the identity → logout revokes and removes auth.json. Also device-code login.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHttpClient } from "@codex/http";
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
import { captureLogger, leakedSecrets } from "./e2e-capture.js";
import { type LoopbackBackend, startLoopbackBackend } from "./e2e-loopback-backend.js";
import { type LoopbackIssuer, startLoopbackIssuer } from "./e2e-loopback-issuer.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), "codex-e2e-agent-"));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  return home;
}

async function browserLogin(home: string, issuer: LoopbackIssuer) {
  const login = await startLoginServer({ codexHome: home, issuer: issuer.url, port: 0 });
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

describe("agent identity end to end (loopback issuer and backend)", () => {
  it("logs in, registers identity and task, and the backend accepts the AgentAssertion", async () => {
    const home = await tempHome();
    const issuer = await startLoopbackIssuer({ accountId: "ws-agent", userId: "user-agent" });
    cleanups.push(() => issuer.close());
    const backend: LoopbackBackend = await startLoopbackBackend(issuer.secrets.accessToken);
    cleanups.push(() => backend.close());
    const log = captureLogger();

    await browserLogin(home, issuer);
    const manager = await AuthManager.create({ codexHome: home, env: {}, logger: log.logger });
    const agents = new AgentIdentityManager({
      auth: () => manager.auth(),
      forcedWorkspaceId: () => manager.forcedChatgptWorkspaceId,
      chatgptBaseUrl: backend.baseUrl,
      enabled: true,
      sessionSource: "vscode",
      logger: log.logger,
      http: createHttpClient({ logger: log.logger }),
    });
    const task = await agents.ensureBackgroundTask();
    expect(task).toMatchObject({ agentRuntimeId: "agent-e2e-1", taskId: "task-e2e-1" });
    expect(backend.agents.get("agent-e2e-1")?.abom).toMatchObject({
      agent_harness_id: "codex-app",
    });

    const file = join(home, "auth.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, "utf8"));
    expect(saved.agent_identity).toMatchObject({
      workspace_id: "ws-agent",
      chatgpt_user_id: "user-agent",
      agent_runtime_id: "agent-e2e-1",
      background_task_id: "task-e2e-1",
    });

    // A fresh manager (another process) reads the stored identity and signs with it.
    const later = await AuthManager.create({ codexHome: home, env: {} });
    const options = {
      mode: "enabled" as const,
      chatgptBaseUrl: backend.baseUrl,
      extraAllowedHosts: ["127.0.0.1"],
    };
    const value = await chatgptAuthorizationHeader(later, options);
    expect(value?.startsWith("AgentAssertion ")).toBe(true);
    const headers = await chatgptRequestAuthHeaders(await later.auth(), options);
    const ok = await fetch(`${backend.baseUrl}/protected`, { headers });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      agent: "agent-e2e-1",
      task: "task-e2e-1",
      accountHeader: null,
    });

    // The same decision through a manager configured with the backend settings (what
    // model-client uses: no options threaded per call).
    const configured = await AuthManager.create({
      codexHome: home,
      env: {},
      chatgptBackend: {
        baseUrl: backend.baseUrl,
        mode: "enabled",
        extraAllowedHosts: ["127.0.0.1"],
      },
    });
    expect((await configured.chatgptAuthorizationHeader())?.startsWith("AgentAssertion ")).toBe(
      true,
    );
    const viaManager = await configured.chatgptRequestAuthHeaders();
    expect(Object.keys(viaManager)).toEqual(["authorization"]);
    expect((await fetch(`${backend.baseUrl}/protected`, { headers: viaManager })).status).toBe(200);
    configured.setChatgptBackend({ baseUrl: backend.baseUrl, mode: "enabled" });
    expect(await configured.chatgptRequestAuthHeaders()).toMatchObject({
      "chatgpt-account-id": "ws-agent",
    });

    // Without the loopback allowlist the same auth falls back to Bearer, which the backend refuses.
    const bearer = await chatgptRequestAuthHeaders(await later.auth(), {
      mode: "enabled",
      chatgptBaseUrl: backend.baseUrl,
    });
    expect(bearer["chatgpt-account-id"]).toBe("ws-agent");
    expect((await fetch(`${backend.baseUrl}/protected`, { headers: bearer })).status).toBe(401);

    // Reuse: no second registration.
    await agents.ensureBackgroundTask();
    expect(backend.requests.filter((r) => r.path.endsWith("/v1/agent/register"))).toHaveLength(1);

    // A new login drops the identity and revokes the superseded refresh token (same token here,
    // so nothing is revoked), then logout revokes and removes everything.
    await browserLogin(home, issuer);
    expect(JSON.parse(await readFile(file, "utf8")).agent_identity).toBeUndefined();
    await later.reload();
    const out = await logoutWithRevoke(later, { issuer: issuer.url, env: {} });
    expect(out).toEqual({ removed: true, revoke: "revoked_refresh_token" });
    await expect(stat(file)).rejects.toMatchObject({ code: "ENOENT" });
    const revoked = issuer.requests.filter((r) => r.path === "/oauth/revoke");
    expect(revoked.map((r) => JSON.parse(r.body).token)).toEqual([issuer.secrets.refreshToken]);

    const s = issuer.secrets;
    const key = saved.agent_identity.agent_private_key as string;
    expect(
      leakedSecrets(log.text(), [s.accessToken, s.refreshToken, s.idToken, backend.biscuit, key]),
    ).toEqual([]);
  });

  it("device-code login against the loopback issuer saves credentials with no API key", async () => {
    const home = await tempHome();
    const issuer = await startLoopbackIssuer({ accountId: "ws-device" });
    cleanups.push(() => issuer.close());
    issuer.devicePendingPolls = 2;
    issuer.deviceSlowDownNext = true;
    const sleeps: number[] = [];
    const manager = await AuthManager.create({ codexHome: home, env: {} });
    expect(manager.authCached()).toBeUndefined();
    const login = await startDeviceCodeLogin({
      codexHome: home,
      authManager: manager,
      issuer: issuer.url,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(login.verificationUrl).toBe(`${issuer.url}/codex/device`);
    expect(login.userCode).toBe(issuer.secrets.userCode);
    const result = await login.done;
    expect(result.accountId).toBe("ws-device");
    expect(sleeps).toEqual([5000, 5000, 5000]);
    expect(manager.authCached()?.getAccountId()).toBe("ws-device");
    const saved = JSON.parse(await readFile(join(home, "auth.json"), "utf8"));
    expect(saved.OPENAI_API_KEY).toBeNull();
    expect(saved.tokens.refresh_token).toBe(issuer.secrets.refreshToken);
  });

  it("device-code login reports an issuer without it", async () => {
    const home = await tempHome();
    const issuer = await startLoopbackIssuer({ deviceCodeDisabled: true });
    cleanups.push(() => issuer.close());
    await expect(
      startDeviceCodeLogin({ codexHome: home, issuer: issuer.url }),
    ).rejects.toMatchObject({ code: "device_code_unsupported" });
  });
});

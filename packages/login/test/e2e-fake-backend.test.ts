// Login against @codex/fake-backend: two implementations of the upstream wire shapes, written
// apart from each other, meet over real loopback sockets. Login's other end-to-end tests use
// loopback peers written for them; this one catches a disagreement between the two readings of
// the spec (token endpoint, refresh rotation and reuse, device code, agent and task registration,
// AgentAssertion, revoke).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeBackend, startFakeBackend } from "@codex/fake-backend";
import { afterEach, describe, expect, it } from "vitest";
import { AgentIdentityManager } from "../src/agent-tasks/agent-identity-manager.js";
import { AuthManager } from "../src/auth-manager.js";
import { startDeviceCodeLogin } from "../src/flows/device-code-login.js";
import { startLoginServer } from "../src/flows/login-server.js";
import { logoutWithRevoke } from "../src/flows/logout.js";
import { captureLogger, leakedSecrets } from "./e2e-capture.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{ home: string; backend: FakeBackend }> {
  const home = await mkdtemp(join(tmpdir(), "codex-e2e-fake-"));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  const backend = await startFakeBackend({
    account: { chatgptAccountId: "ws-fake", chatgptUserId: "user-fake", email: "ana@example.com" },
    deviceAuth: { enabled: true, intervalSeconds: 1, pendingPolls: 1 },
  });
  cleanups.push(() => backend.close());
  return { home, backend };
}

/** Follows the redirects a browser would: authorize → login server callback → success page. */
async function browserLogin(home: string, backend: FakeBackend) {
  const login = await startLoginServer({
    codexHome: home,
    issuer: backend.issuerUrl,
    clientId: backend.clientId,
    port: 0,
  });
  let url = login.authUrl;
  for (let hop = 0; hop < 5; hop++) {
    const res = await fetch(url, { redirect: "manual" });
    await res.arrayBuffer();
    const location = res.headers.get("location");
    if (!location) break;
    url = new URL(location, url).toString();
  }
  return login.done;
}

async function storedRefreshToken(home: string): Promise<string> {
  return JSON.parse(await readFile(join(home, "auth.json"), "utf8")).tokens.refresh_token;
}

describe("login against the fake backend (real sockets)", () => {
  it("browser login, refresh rotation, reuse detection and logout with revoke", async () => {
    const { home, backend } = await setUp();
    const log = captureLogger();
    const result = await browserLogin(home, backend);
    expect(result.accountId).toBe("ws-fake");
    const firstRefresh = await storedRefreshToken(home);

    const manager = await AuthManager.create({
      codexHome: home,
      env: {},
      issuer: backend.issuerUrl,
      clientId: backend.clientId,
      logger: log.logger,
    });
    expect((await manager.auth())?.getAccountId()).toBe("ws-fake");
    await manager.refreshToken();
    const rotated = await storedRefreshToken(home);
    expect(rotated).not.toBe(firstRefresh);
    expect(backend.state.tokenGrants.filter((g) => g.grantType === "refresh_token")).toHaveLength(
      1,
    );

    // A second process still holding the spent refresh token (its snapshot predates the
    // rotation, and its file is a copy) gets the backend's reuse answer, classified permanent.
    const staleHome = await mkdtemp(join(tmpdir(), "codex-e2e-fake-stale-"));
    cleanups.push(() => rm(staleHome, { recursive: true, force: true }));
    const staleFile = JSON.parse(await readFile(join(home, "auth.json"), "utf8"));
    staleFile.tokens.refresh_token = firstRefresh;
    await writeFile(join(staleHome, "auth.json"), JSON.stringify(staleFile), { mode: 0o600 });
    const stale = await AuthManager.create({
      codexHome: staleHome,
      env: {},
      issuer: backend.issuerUrl,
      clientId: backend.clientId,
    });
    const reused = await stale.refreshToken().catch((e: unknown) => e);
    expect(reused).toMatchObject({
      name: "LoginError",
      code: "refresh_token_reused",
      permanent: true,
    });

    // Reuse revoked the whole family on the backend, as the real issuer does; logout still
    // revokes (best effort) and removes the file.
    const out = await logoutWithRevoke(manager, { issuer: backend.issuerUrl, env: {} });
    expect(out.removed).toBe(true);
    expect(backend.state.revocations.length).toBeGreaterThan(0);
    expect(await manager.auth()).toBeUndefined();
    expect(leakedSecrets(log.text(), [firstRefresh, rotated])).toEqual([]);
  });

  it("browser and device-code logins write oauth_provenance and a fresh login_owner_id; a manager with no issuer configured refreshes at the provenance issuer", async () => {
    const { home, backend } = await setUp();
    // the browser login's issuer as a user might configure it, with a trailing slash
    const login = await startLoginServer({
      codexHome: home,
      issuer: `${backend.issuerUrl}/`,
      clientId: backend.clientId,
      port: 0,
    });
    let url = login.authUrl;
    for (let hop = 0; hop < 5; hop++) {
      const res = await fetch(url, { redirect: "manual" });
      await res.arrayBuffer();
      const location = res.headers.get("location");
      if (!location) break;
      url = new URL(location, url).toString();
    }
    await login.done;
    const afterBrowser = JSON.parse(await readFile(join(home, "auth.json"), "utf8"));
    expect(Object.keys(afterBrowser.tokens)).toEqual([
      "id_token",
      "access_token",
      "refresh_token",
      "oauth_provenance",
      "login_owner_id",
      "account_id",
    ]);
    expect(afterBrowser.tokens.oauth_provenance).toEqual({
      issuer: backend.issuerUrl,
      client_id: backend.clientId,
    });
    const firstOwner = afterBrowser.tokens.login_owner_id as string;
    expect(firstOwner).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const device = await startDeviceCodeLogin({
      codexHome: home,
      issuer: backend.issuerUrl,
      clientId: backend.clientId,
      sleep: async () => {},
    });
    await device.done;
    const afterDevice = JSON.parse(await readFile(join(home, "auth.json"), "utf8"));
    expect(afterDevice.tokens.oauth_provenance).toEqual(afterBrowser.tokens.oauth_provenance);
    expect(afterDevice.tokens.login_owner_id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(afterDevice.tokens.login_owner_id).not.toBe(firstOwner); // new on every login

    // no issuer, no client id, no override: the file alone says where the refresh goes
    const manager = await AuthManager.create({ codexHome: home, env: {} });
    await manager.refreshToken();
    const refreshes = backend.state
      .requestsTo("oauth.token")
      .filter((r) => (r.body as { grant_type?: string }).grant_type === "refresh_token");
    expect(refreshes.map((r) => r.body)).toEqual([
      {
        client_id: backend.clientId,
        grant_type: "refresh_token",
        refresh_reason: "forced",
        refresh_token: afterDevice.tokens.refresh_token,
      },
    ]);
    const afterRefresh = JSON.parse(await readFile(join(home, "auth.json"), "utf8"));
    expect(afterRefresh.tokens.refresh_token).not.toBe(afterDevice.tokens.refresh_token);
    expect(afterRefresh.tokens.oauth_provenance).toEqual(afterDevice.tokens.oauth_provenance);
    expect(afterRefresh.tokens.login_owner_id).toBe(afterDevice.tokens.login_owner_id);
  });

  it("device-code login, agent and task registration, and an AgentAssertion the backend verifies", async () => {
    const { home, backend } = await setUp();
    const manager = await AuthManager.create({
      codexHome: home,
      env: {},
      issuer: backend.issuerUrl,
      clientId: backend.clientId,
      chatgptBackend: {
        baseUrl: backend.chatgptBaseUrl,
        mode: "enabled",
        extraAllowedHosts: ["127.0.0.1"],
      },
    });
    const sleeps: number[] = [];
    const login = await startDeviceCodeLogin({
      codexHome: home,
      authManager: manager,
      issuer: backend.issuerUrl,
      clientId: backend.clientId,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(login.verificationUrl).toBe(`${backend.issuerUrl}/codex/device`);
    expect((await login.done).accountId).toBe("ws-fake");
    expect(sleeps).toEqual([1000]);

    const agents = new AgentIdentityManager({
      auth: () => manager.auth(),
      forcedWorkspaceId: () => manager.forcedChatgptWorkspaceId,
      chatgptBaseUrl: backend.chatgptBaseUrl,
      enabled: true,
      sessionSource: "cli",
    });
    const task = await agents.ensureBackgroundTask();
    if (task === undefined) throw new Error("expected a registered background task");
    expect(backend.state.agents.size).toBe(1);
    expect(task.agentRuntimeId).toBe([...backend.state.agents.keys()][0]);
    await manager.reload();

    const headers = await manager.chatgptRequestAuthHeaders();
    expect(headers.authorization?.startsWith("AgentAssertion ")).toBe(true);
    expect(headers["chatgpt-account-id"]).toBeUndefined();
    const res = await fetch(`${backend.chatgptBaseUrl}/codex/responses`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-test", input: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const record = backend.state.lastRequest("codex.responses");
    expect(record?.authScheme).toBe("agent-assertion");
    expect(record?.assertion).toMatchObject({
      verified: true,
      agentRuntimeId: task.agentRuntimeId,
      taskId: task.taskId,
    });
  });
});

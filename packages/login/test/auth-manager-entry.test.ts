// The manager as the one way in, against @codex/fake-backend over real loopback sockets: the
// options are given once, logins / agent identity / logout are its methods, and its cached view
// follows every write without a manual reload.
import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeBackend, startFakeBackend } from "@codex/fake-backend";
import { afterEach, describe, expect, it } from "vitest";
import { AuthManager } from "../src/auth-manager.js";
import type { AuthManagerOptions } from "../src/login-config.js";
import { expectLoginError } from "./support/capture.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(
  extra: Partial<AuthManagerOptions> = {},
): Promise<{ home: string; backend: FakeBackend; manager: AuthManager }> {
  const home = await mkdtemp(join(tmpdir(), "codex-entry-"));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  const backend = await startFakeBackend({
    account: {
      chatgptAccountId: "ws-entry",
      chatgptUserId: "user-entry",
      email: "ana@example.com",
    },
    deviceAuth: { enabled: true, intervalSeconds: 0, pendingPolls: 0 },
  });
  cleanups.push(() => backend.close());
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
    ...extra,
  });
  return { home, backend, manager };
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

describe("AuthManager as the entry point", () => {
  it("device-code login through the manager uses its issuer, client and store, and updates it", async () => {
    const { home, backend, manager } = await setUp();
    const seen: Array<string | undefined> = [];
    manager.subscribe((auth) => seen.push(auth?.apiAuthMode));
    const login = await manager.startDeviceCodeLogin();
    expect(login.verificationUrl).toBe(`${backend.issuerUrl}/codex/device`);
    const result = await login.done;
    expect(result.accountId).toBe("ws-entry");
    // saved in the manager's store and already in its cache: no reload by the caller
    expect(manager.authCached()?.getAccountId()).toBe("ws-entry");
    expect(seen).toContain("chatgpt");
    const file = JSON.parse(await readFile(join(home, "auth.json"), "utf8"));
    expect(file.tokens.account_id).toBe("ws-entry");
    // the device code was exchanged at the manager's issuer, with its client id
    expect(backend.state.tokenGrants.map((g) => g.grantType)).toEqual(["authorization_code"]);
  });

  it("agentIdentity() writes show in the manager's cache at once (AgentAssertion, no reload)", async () => {
    const { backend, manager } = await setUp();
    await (await manager.startDeviceCodeLogin()).done;
    expect((await manager.chatgptRequestAuthHeaders()).authorization?.startsWith("Bearer ")).toBe(
      true,
    );
    const agents = manager.agentIdentity();
    expect(manager.agentIdentity()).toBe(agents); // one instance: one registration at a time
    const task = await agents.ensureBackgroundTask();
    if (task === undefined) throw new Error("expected a registered background task");
    expect(backend.state.agents.size).toBe(1);
    const record = manager.authCached()?.getCurrentAuthJson()?.agentIdentity;
    expect(record?.agentRuntimeId).toBe(task.agentRuntimeId);
    expect(record?.taskId).toBe(task.taskId);
    const headers = await manager.chatgptRequestAuthHeaders();
    expect(headers.authorization?.startsWith("AgentAssertion ")).toBe(true);
    expect(headers["chatgpt-account-id"]).toBeUndefined();
  });

  it("logout({ revoke: true }) revokes at the configured issuer, then clears; logout() does not revoke", async () => {
    const { home, backend, manager } = await setUp();
    await (await manager.startDeviceCodeLogin()).done;
    const out = await manager.logout({ revoke: true });
    expect(out).toEqual({ removed: true, revoke: "revoked_refresh_token" });
    expect(backend.state.revocations.length).toBe(1);
    expect(await exists(join(home, "auth.json"))).toBe(false);
    expect(manager.authCached()).toBeUndefined();

    await (await manager.startDeviceCodeLogin()).done;
    expect(await manager.logout()).toEqual({ removed: true, revoke: "skipped" });
    expect(backend.state.revocations.length).toBe(1);
    expect(await manager.logout({ revoke: true })).toEqual({
      removed: false,
      revoke: "nothing_to_revoke",
    });
  });

  it("refuses ChatGPT logins when API-key login is forced, before any request", async () => {
    const { backend, manager } = await setUp({ forcedLoginMethod: "api" });
    await expectLoginError(manager.startDeviceCodeLogin(), "login_restricted");
    await expectLoginError(manager.startBrowserLogin({ port: 0 }), "login_restricted");
    expect(backend.state.tokenGrants).toEqual([]);
  });

  it("agentIdentity() needs a ChatGPT base URL", async () => {
    const { manager } = await setUp({ chatgptBackend: { mode: "enabled" } });
    expect(() => manager.agentIdentity()).toThrow(
      expect.objectContaining({ code: "invalid_argument" }),
    );
  });

  it("the browser login through the manager saves into the manager", async () => {
    const { backend, manager } = await setUp();
    const login = await manager.startBrowserLogin({ port: 0, exchangeApiKey: false });
    expect(new URL(login.authUrl).origin).toBe(backend.issuerUrl);
    expect(new URL(login.authUrl).searchParams.get("client_id")).toBe(backend.clientId);
    let url = login.authUrl;
    for (let hop = 0; hop < 5; hop++) {
      const res = await fetch(url, { redirect: "manual" });
      await res.arrayBuffer();
      const location = res.headers.get("location");
      if (!location) break;
      url = new URL(location, url).toString();
    }
    expect((await login.done).accountId).toBe("ws-entry");
    expect(manager.authCached()?.apiAuthMode).toBe("chatgpt");
  });
});

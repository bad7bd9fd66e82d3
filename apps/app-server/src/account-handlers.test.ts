import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { createClientPeer } from "@codex/app-server-protocol";
import { type CodexConfig, loadConfig } from "@codex/config";
import { startFakeBackend } from "@codex/fake-backend";
import { afterEach, describe, expect, it } from "vitest";
import { type RunAppServerOptions, runAppServer } from "./run-app-server.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function config(overrides: string[] = []): Promise<CodexConfig> {
  const home = mkdtempSync(join(tmpdir(), "run-app-server-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  return loadConfig({ codexHome: home, overrides, env: {} });
}

async function connect(options: Partial<RunAppServerOptions> = {}) {
  const up = new PassThrough();
  const down = new PassThrough();
  const server = await runAppServer({
    stdin: up,
    stdout: down,
    config: options.config ?? (await config()),
    env: {},
    ...options,
  });
  const notifications: Array<{ method: string; params: unknown }> = [];
  const client = createClientPeer({
    input: down,
    output: up,
    onNotification: (n) => notifications.push(n),
  });
  cleanups.push(() => server.close());
  return { server, client, notifications };
}

describe("account handlers (in process)", () => {
  it("device-code login: verification URL and user code, then cancel reports login/completed", async () => {
    const backend = await startFakeBackend();
    cleanups.push(() => backend.close());
    const { client, notifications } = await connect({ loginIssuer: backend.issuerUrl });
    await client.request("initialize", { clientInfo: { name: "t", version: "1" } });
    const started = await client.request("account/login/start", { type: "chatgptDeviceCode" });
    expect(started).toMatchObject({
      type: "chatgptDeviceCode",
      verificationUrl: `${backend.issuerUrl}/codex/device`,
    });
    if (started.type !== "chatgptDeviceCode") throw new Error("unexpected login type");
    expect(started.userCode).not.toBe("");
    expect(await client.request("account/login/cancel", { loginId: started.loginId })).toEqual({
      status: "canceled",
    });
    await expect
      .poll(() => notifications.map((n) => n.method))
      .toEqual(["account/login/completed"]);
    expect(notifications[0]?.params).toEqual({
      loginId: started.loginId,
      success: false,
      error: "Login server error: Login was not completed",
      onboardingEntrypoint: null,
    });
  });

  it("a provider that needs no OpenAI auth reports none", async () => {
    const { client } = await connect({
      config: await config(['model_provider="ollama"']),
    });
    await client.request("initialize", { clientInfo: { name: "t", version: "1" } });
    expect(await client.request("account/read", {})).toEqual({
      account: null,
      userId: null,
      requiresOpenaiAuth: false,
      workspaceRouting: null,
    });
    expect(await client.request("getAuthStatus", {})).toEqual({
      authMethod: null,
      authToken: null,
      requiresOpenaiAuth: false,
    });
  });

  it("cancelling an unknown login id reports notFound", async () => {
    const { client } = await connect();
    await client.request("initialize", { clientInfo: { name: "t", version: "1" } });
    expect(
      await client.request("account/login/cancel", {
        loginId: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
      }),
    ).toEqual({ status: "notFound" });
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { createClientPeer } from "@codex/app-server-protocol";
import { type CodexConfig, loadConfig } from "@codex/config";
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

describe("runAppServer", () => {
  it.each([
    [{}, "stdin and stdout are required"],
    [
      { stdin: new PassThrough(), stdout: new PassThrough() },
      "config must be a loaded CodexConfig",
    ],
  ])("refuses bad options with a typed error", async (options, message) => {
    await expect(runAppServer(options as RunAppServerOptions)).rejects.toMatchObject({
      code: "invalid_options",
      message,
    });
  });

  it("refuses a bad refresh timeout", async () => {
    await expect(
      runAppServer({
        stdin: new PassThrough(),
        stdout: new PassThrough(),
        config: await config(),
        externalRefreshTimeoutMs: 0,
      }),
    ).rejects.toMatchObject({ code: "invalid_options" });
  });

  it("refuses a malformed environment knob, naming the variable", async () => {
    await expect(
      runAppServer({
        stdin: new PassThrough(),
        stdout: new PassThrough(),
        config: await config(),
        env: { CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS: "soon" },
      }),
    ).rejects.toMatchObject({
      name: "AppServerError",
      code: "invalid_options",
      message: "CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS must be an integer >= 1",
    });
  });

  it("without a thread surface, the thread methods answer Method not handled", async () => {
    const { client } = await connect({ threads: null });
    await client.request("initialize", { clientInfo: { name: "t", version: "1" } });
    await expect(client.request("thread/start", {})).rejects.toMatchObject({
      rpcError: { code: -32601, message: "Method not handled: thread/start" },
    });
  });

  it("answers an unknown thread with -32600 and the engine's text", async () => {
    const { client } = await connect();
    await client.request("initialize", { clientInfo: { name: "t", version: "1" } });
    await expect(
      client.request("turn/start", {
        threadId: "00000000-0000-0000-0000-000000000000",
        input: [{ type: "text", text: "hi" }],
      }),
    ).rejects.toMatchObject({ rpcError: { code: -32600 } });
  });

  it("close() drains and resolves closed", async () => {
    const { server, client } = await connect();
    await client.request("initialize", { clientInfo: { name: "t", version: "1" } });
    await server.close();
    await server.closed;
    await client.whenClosed;
    expect(client.closed).toBe(true);
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  ServerNotification,
  ThreadStartResponse,
  Turn,
  TurnStartResponse,
} from "@codex/app-server-protocol";
import { loadConfig } from "@codex/config";
import { AuthManager } from "@codex/login";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createThreadEngine,
  type ThreadStartResult,
  threadStartedNotification,
} from "./thread-engine.js";
import type { EngineTurn, TurnNotification } from "./thread-items.js";

// Compile-time: what the engine returns is what the protocol package sends.
const _result = (r: ThreadStartResult): ThreadStartResponse => r;
const _turn = (t: EngineTurn): Turn => t;
const _turnStart = (t: EngineTurn): TurnStartResponse => ({ turn: t });
const _notification = (n: TurnNotification): ServerNotification => n;
void [_result, _turn, _turnStart, _notification];

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "thread-engine-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

async function engine(useAgentIdentity = false, baseInstructions?: string) {
  const config = await loadConfig({
    codexHome: home,
    env: {},
    overrides: useAgentIdentity
      ? ["features.use_agent_identity=true", 'agent_identity_allowed_hosts=["127.0.0.1"]']
      : [],
  });
  const auth = await AuthManager.create({ codexHome: home, storeMode: "file", env: {} });
  return {
    auth,
    engine: createThreadEngine({
      config,
      auth,
      originator: "o",
      userAgent: "o/1",
      sessionSource: "exec",
      env: {},
      ...(baseInstructions === undefined ? {} : { baseInstructions }),
    }),
  };
}

describe("createThreadEngine", () => {
  it("points the login's ChatGPT backend at the config", async () => {
    const { auth, engine: e } = await engine(true);
    expect(auth.chatgptBackend).toEqual({
      baseUrl: "https://chatgpt.com/backend-api/",
      mode: "enabled",
      extraAllowedHosts: ["127.0.0.1"],
    });
    await e.close();
  });

  it("starts an exec thread with the config's model and announces it", async () => {
    const { engine: e } = await engine();
    const result = await e.startThread({ cwd: join(home, "w"), model: "gpt-x" });
    expect(result).toMatchObject({ model: "gpt-x", modelProvider: "openai", cwd: join(home, "w") });
    expect(result.thread.source).toBe("exec");
    expect(threadStartedNotification(result)).toEqual({
      method: "thread/started",
      params: { thread: result.thread },
    });
    await expect(e.waitForIdle(result.thread.id)).resolves.toBeUndefined();
    await e.close();
  });

  it("refuses bad arguments with typed errors", async () => {
    const { engine: e } = await engine();
    await expect(e.startThread(null as never)).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(e.resumeThread("")).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(e.resumeThread("0196b0c2-7d1e-7a3b-9c4d-5e6f70819203")).rejects.toMatchObject({
      code: "thread_not_found",
    });
    const { thread } = await e.startThread({});
    await expect(
      e.startTurn(thread.id, [{ type: "text", text: "x" }], "nope" as never),
    ).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(e.waitForIdle(42 as never)).rejects.toMatchObject({ code: "invalid_argument" });
    await e.close();
  });
});

/**
 * What the engine records and sends beyond the notifications, beside what 0.169 does: the
 * `turn_context` and `token_count` rollout lines (0.169's fixtures in @codex/rollout), token
 * totals going on across a resume, `x-codex-turn-metadata` keys per session source
 * (conformance/fixtures/upstream-0.169-responses-request.json), a cut stream's error text.
 */
import { readFileSync } from "node:fs";
import { type FakeBackend, scripts, startFakeBackend } from "@codex/fake-backend";
import { loadRolloutItems, type RolloutLine, validateRolloutItem } from "@codex/rollout";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createThreadEngine,
  type ThreadEngine,
  type ThreadSessionSource,
  type TokenUsageStep,
} from "../src/threads/index.js";
import { apiKeyConfig, authManager, notificationLog, tempHome, text } from "./threads-support.js";

const UPSTREAM_EXEC_ROLLOUT = new URL(
  "../../../packages/rollout/test/fixtures/upstream-0.169/http.jsonl",
  import.meta.url,
);
const UPSTREAM_EXEC_REQUEST = new URL(
  "../../../conformance/fixtures/upstream-0.169-responses-request.json",
  import.meta.url,
);

let backend: FakeBackend;
let dirs: ReturnType<typeof tempHome>;
let engines: ThreadEngine[] = [];

beforeEach(async () => {
  backend = await startFakeBackend();
  dirs = tempHome();
});
afterEach(async () => {
  await Promise.all(engines.map((e) => e.close()));
  engines = [];
  await backend.close();
  dirs.cleanup();
});

async function apiKeyEngine(sessionSource: ThreadSessionSource): Promise<ThreadEngine> {
  const auth = await authManager(backend, dirs.home);
  await auth.loginWithApiKey("sk-threads-test");
  const engine = createThreadEngine({
    config: await apiKeyConfig(backend, dirs.home),
    auth,
    originator: sessionSource === "exec" ? "codex_exec" : "demo_client",
    userAgent: "test/0.169.0",
    sessionSource,
    env: {},
  });
  engines.push(engine);
  return engine;
}

function upstreamLine(type: string): Record<string, unknown> {
  for (const raw of readFileSync(UPSTREAM_EXEC_ROLLOUT, "utf8").split("\n")) {
    if (raw.trim() === "") continue;
    const line = JSON.parse(raw) as { type: string; payload: Record<string, unknown> };
    const tag = line.type === "event_msg" ? String(line.payload.type) : line.type;
    if (tag === type) return line.payload;
  }
  throw new Error(`no ${type} line in the upstream fixture`);
}

function lines(all: readonly RolloutLine[], type: string): Record<string, unknown>[] {
  return all
    .filter((l) => (l.type === "event_msg" ? l.payload.type === type : l.type === type))
    .map((l) => l.payload as unknown as Record<string, unknown>);
}

async function rawLines(path: string): Promise<Record<string, unknown>[]> {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("thread engine rollout lines and request metadata", () => {
  it("writes a turn_context per turn with 0.169's keys, the turn's cwd and model", async () => {
    const e = await apiKeyEngine("exec");
    const { thread } = await e.startThread({ cwd: dirs.cwd, model: "gpt-5.4" });
    await e.startTurn(thread.id, text("say hi"), () => {});
    await e.waitForIdle(thread.id);
    await e.close();
    const written = (await rawLines(thread.path)).filter((l) => l.type === "turn_context");
    expect(written).toHaveLength(1);
    const payload = written[0]?.payload as Record<string, unknown>;
    expect(Object.keys(payload).sort()).toEqual(Object.keys(upstreamLine("turn_context")).sort());
    expect(payload).toMatchObject({
      cwd: dirs.cwd,
      model: "gpt-5.4",
      approval_policy: "never",
      sandbox_policy: { type: "read-only" },
      summary: "none",
      collaboration_mode: { mode: "default", settings: { model: "gpt-5.4" } },
    });
    expect(payload.turn_id).toBe(payload.root_turn_id);
    const loaded = await loadRolloutItems(thread.path);
    expect(loaded.parseErrors).toBe(0);
    for (const line of loaded.items) expect(() => validateRolloutItem(line)).not.toThrow();
  });

  it("records token_count after a response with usage; a resumed thread's totals go on", async () => {
    backend.enqueue(
      scripts.text("one", { usage: { inputTokens: 100, cachedInputTokens: 10, outputTokens: 5 } }),
    );
    const first = await apiKeyEngine("exec");
    const { thread } = await first.startThread({ cwd: dirs.cwd });
    await first.startTurn(thread.id, text("first"), () => {});
    await first.waitForIdle(thread.id);
    await first.close();

    const loaded = await loadRolloutItems(thread.path);
    const [count] = lines(loaded.items, "token_count");
    const upstream = upstreamLine("token_count");
    expect(Object.keys(count ?? {})).toEqual(Object.keys(upstream));
    const info = count?.info as Record<string, Record<string, unknown>>;
    expect(Object.keys(info)).toEqual(Object.keys(upstream.info as object));
    const once = {
      input_tokens: 100,
      cached_input_tokens: 10,
      cache_write_input_tokens: 0,
      output_tokens: 5,
      reasoning_output_tokens: 0,
      total_tokens: 105,
    };
    expect(info.total_token_usage).toEqual(once);
    expect(info.last_token_usage).toEqual(once);
    expect(Object.keys(info.total_token_usage ?? {})).toEqual(
      Object.keys((upstream.info as Record<string, object>).total_token_usage ?? {}),
    );
    expect(Object.keys(count?.rate_limits ?? {})).toEqual(
      Object.keys(upstream.rate_limits as object),
    );
    const [record] = lines(loaded.items, "token_usage_record");
    expect(Object.keys(record ?? {})).toEqual(Object.keys(upstreamLine("token_usage_record")));

    backend.enqueue(scripts.text("two", { usage: { inputTokens: 200, outputTokens: 7 } }));
    const second = await apiKeyEngine("exec");
    await second.resumeThread(thread.id);
    const steps: TokenUsageStep[] = [];
    await second.startTurn(thread.id, text("second"), () => {}, {
      onTokenUsageStep: (step) => steps.push(step),
    });
    await second.waitForIdle(thread.id);
    await second.close();
    expect(
      steps.map((s) => [s.last.input_tokens, s.turn.input_tokens, s.total.input_tokens]),
    ).toEqual([[200, 200, 300]]);
    const after = lines((await loadRolloutItems(thread.path)).items, "token_count");
    expect(
      after.map((c) => (c.info as Record<string, Record<string, number>>).total_token_usage),
    ).toEqual([
      once,
      {
        input_tokens: 300,
        cached_input_tokens: 10,
        cache_write_input_tokens: 0,
        output_tokens: 12,
        reasoning_output_tokens: 0,
        total_tokens: 312,
      },
    ]);
  });

  it("sends 0.169's turn-metadata keys: exec turns with thread_source and turn_trigger, app-server turns without", async () => {
    const fixture = JSON.parse(readFileSync(UPSTREAM_EXEC_REQUEST, "utf8")) as {
      apiKeyHttp: { turnMetadataKeys: string[] };
    };
    const metadata = async (source: ThreadSessionSource) => {
      const e = await apiKeyEngine(source);
      const { thread } = await e.startThread({ cwd: dirs.cwd });
      await e.startTurn(thread.id, text("hi"), () => {});
      await e.waitForIdle(thread.id);
      const header =
        backend.state.lastRequest("openai.responses")?.headers["x-codex-turn-metadata"];
      return JSON.parse(String(header)) as Record<string, unknown>;
    };
    const exec = await metadata("exec");
    expect(Object.keys(exec)).toEqual(fixture.apiKeyHttp.turnMetadataKeys);
    expect(exec).toMatchObject({ thread_source: "user", turn_trigger: "exec" });
    const appServer = await metadata("vscode");
    expect(Object.keys(appServer)).toEqual(
      fixture.apiKeyHttp.turnMetadataKeys.filter(
        (k) => k !== "thread_source" && k !== "turn_trigger",
      ),
    );
  });

  it("records thread_source user in an exec thread's session_meta, none for app-server threads", async () => {
    const exec = await apiKeyEngine("exec");
    const a = await exec.startThread({ cwd: dirs.cwd });
    const vscode = await apiKeyEngine("vscode");
    const b = await vscode.startThread({ cwd: dirs.cwd });
    expect((await loadRolloutItems(a.thread.path)).sessionMeta?.thread_source).toBe("user");
    expect((await loadRolloutItems(b.thread.path)).sessionMeta?.thread_source).toBeUndefined();
  });

  it("a stream cut or closed early fails the turn with 0.169's `stream disconnected before completion:` text", async () => {
    const e = await apiKeyEngine("exec");
    const { thread } = await e.startThread({ cwd: dirs.cwd });
    const failure = async () => {
      const log = notificationLog();
      await e.startTurn(thread.id, text("hi"), log.sink);
      await e.waitForIdle(thread.id);
      const completed = log.params("turn/completed")[0]?.turn as { error: { message: string } };
      const error = log.params("error")[0]?.error as { message: string } | undefined;
      expect(error?.message).toBe(completed.error.message);
      return completed.error.message;
    };
    backend.enqueue(scripts.stream([{ type: "created" }, { type: "text_delta", delta: "par" }]));
    expect(await failure()).toBe(
      "stream disconnected before completion: stream closed before response.completed",
    );
    backend.enqueue(scripts.disconnect("par"));
    expect(await failure()).toMatch(/^stream disconnected before completion: (?!stream disc)/);
  });
});

/**
 * The thread engine against the fake backend on 127.0.0.1: 0.169's notification order and item
 * shapes, failures, interrupts (the inference trace records `cancelled`), and the rollout.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createCodec } from "@codex/app-server-protocol";
import { type FakeBackend, scripts, startFakeBackend } from "@codex/fake-backend";
import { getRolloutHistory, listThreads, loadRolloutItems, replayBundle } from "@codex/rollout";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createThreadEngine,
  type ThreadEngine,
  threadStartedNotification,
} from "../src/threads/index.js";
import {
  authManager,
  loadTestConfig,
  notificationLog,
  notificationSchemaErrors,
  schemaErrors,
  signInChatgpt,
  tempHome,
  text,
} from "./threads-support.js";

let backend: FakeBackend;
let dirs: ReturnType<typeof tempHome>;
let engine: ThreadEngine | undefined;

beforeEach(async () => {
  backend = await startFakeBackend();
  dirs = tempHome();
});
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await backend.close();
  dirs.cleanup();
});

async function chatgptEngine(
  env: NodeJS.ProcessEnv = {},
  overrides: readonly string[] = [],
  baseInstructions?: string,
): Promise<ThreadEngine> {
  const auth = await authManager(backend, dirs.home);
  await signInChatgpt(backend, auth);
  engine = createThreadEngine({
    config: await loadTestConfig(backend, dirs.home, overrides),
    auth,
    originator: "demo_client",
    userAgent: "demo_client/0.169.0 (test)",
    sessionSource: "vscode",
    env,
    ...(baseInstructions === undefined ? {} : { baseInstructions }),
  });
  return engine;
}

const announced = (id: string, deltas: string[]) =>
  scripts.stream([
    { type: "created" },
    {
      type: "output_item_added",
      item: { type: "message", id, role: "assistant", status: "in_progress", content: [] },
    },
    ...deltas.map((delta) => ({ type: "text_delta" as const, delta })),
    {
      type: "output_item_done",
      item: {
        type: "message",
        id,
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: deltas.join(""), annotations: [] }],
      },
    },
    { type: "completed" },
  ]);

describe("thread engine turns", () => {
  it("the vendored 0.169 schemas reject what 0.169 would not send", () => {
    expect(schemaErrors("item/started", { item: { type: "userMessage" } })).not.toEqual([]);
    expect(schemaErrors("turn/completed", { threadId: "t", turn: { id: "x" } })).not.toEqual([]);
  });

  it("starts a thread with 0.169's result keys and a rollout path under sessions/", async () => {
    const e = await chatgptEngine();
    const result = await e.startThread({ cwd: dirs.cwd });
    expect(Object.keys(result)).toEqual([
      "thread",
      "model",
      "modelProvider",
      "serviceTier",
      "disabledPluginIds",
      "cwd",
      "runtimeWorkspaceRoots",
      "instructionSources",
      "approvalPolicy",
      "approvalsReviewer",
      "sandbox",
      "activePermissionProfile",
      "reasoningEffort",
      "multiAgentMode",
    ]);
    expect(result).toMatchObject({
      model: "gpt-demo",
      modelProvider: "demo",
      approvalPolicy: "on-request",
      sandbox: { type: "readOnly", networkAccess: false },
      cwd: dirs.cwd,
    });
    // Key order of the real 0.169 `thread/start` result's thread (captured from codex app-server).
    expect(Object.keys(result.thread)).toEqual([
      "id",
      "environments",
      "extra",
      "sessionId",
      "forkedFromId",
      "attachedToThreadId",
      "parentThreadId",
      "preview",
      "ephemeral",
      "section",
      "sectionEnteredAt",
      "projectId",
      "historyMode",
      "modelProvider",
      "model",
      "reasoningEffort",
      "createdAt",
      "updatedAt",
      "recencyAt",
      "status",
      "path",
      "cwd",
      "cliVersion",
      "originator",
      "source",
      "canAcceptDirectInput",
      "threadSource",
      "agentNickname",
      "agentRole",
      "gitInfo",
      "name",
      "daybreakEnabled",
      "turns",
    ]);
    expect(result.thread).toMatchObject({
      source: "vscode",
      turns: [],
      status: { type: "idle" },
      historyMode: "legacy",
      originator: "demo_client",
      environments: [{ environmentId: "local", cwd: dirs.cwd, runtimeWorkspaceRoots: [dirs.cwd] }],
    });
    expect(result.thread.path).toMatch(
      new RegExp(
        `^${dirs.home}/sessions/\\d{4}/\\d{2}/\\d{2}/rollout-[0-9T:-]+-${result.thread.id}\\.jsonl$`,
      ),
    );
    expect(readdirSync(join(dirs.home, "sessions"))).toHaveLength(1);
    expect(schemaErrors("thread/start result", result)).toEqual([]);
    expect(schemaErrors("thread/started", threadStartedNotification(result).params)).toEqual([]);
    const codec = createCodec("server");
    expect(JSON.parse(codec.encodeResult(1, "thread/start", result)).result).toEqual(result);
  });

  it("streams an announced message: user item, agent item, one delta per text delta, completed turn", async () => {
    const e = await chatgptEngine();
    const { thread } = await e.startThread({ cwd: dirs.cwd });
    backend.enqueue(announced("msg_demo", ["hello ", "from ", "demo"]));
    const log = notificationLog();
    const usage: unknown[] = [];
    const turn = await e.startTurn(thread.id, text("hi"), log.sink, {
      onTokenUsageStep: (step) => usage.push(step.last),
    });
    expect(turn).toEqual({
      id: turn.id,
      rootTurnId: turn.id,
      items: [],
      itemsView: "notLoaded",
      status: "inProgress",
      error: null,
      startedAt: null,
      completedAt: null,
      durationMs: null,
    });
    expect(log.all).toEqual([]); // nothing before the caller answered turn/start
    expect(schemaErrors("turn/start result", { turn })).toEqual([]);
    expect(
      JSON.parse(createCodec("server").encodeResult(2, "turn/start", { turn })).result,
    ).toEqual({
      turn,
    });
    await e.waitForIdle(thread.id);
    expect(log.methods()).toEqual([
      "turn/started",
      "item/started",
      "item/completed",
      "item/started",
      "item/agentMessage/delta",
      "item/agentMessage/delta",
      "item/agentMessage/delta",
      "item/completed",
      "turn/completed",
    ]);
    const [userStarted, agentStarted] = log.params("item/started");
    expect(userStarted).toMatchObject({
      threadId: thread.id,
      turnId: turn.id,
      item: {
        type: "userMessage",
        clientId: null,
        content: [{ type: "text", text: "hi", text_elements: [] }],
        completedAtMs: null,
      },
    });
    expect(agentStarted?.item).toMatchObject({ type: "agentMessage", id: "msg_demo", text: "" });
    expect(log.params("item/agentMessage/delta").map((p) => [p.itemId, p.delta])).toEqual([
      ["msg_demo", "hello "],
      ["msg_demo", "from "],
      ["msg_demo", "demo"],
    ]);
    const completed = log.params("item/completed");
    expect(completed[0]).toHaveProperty("contentTokenCount", null);
    expect(completed[1]?.item).toMatchObject({ type: "agentMessage", text: "hello from demo" });
    const done = log.params("turn/completed")[0];
    expect(done?.turn).toMatchObject({
      id: turn.id,
      itemsView: "summary",
      status: "completed",
      error: null,
      items: [{ type: "agentMessage", id: "msg_demo", text: "hello from demo" }],
    });
    const finished = done?.turn as { startedAt: number; completedAt: number; durationMs: number };
    expect(finished.completedAt).toBeGreaterThanOrEqual(finished.startedAt);
    expect(finished.durationMs).toBeGreaterThanOrEqual(0);
    expect(notificationSchemaErrors(log.all)).toEqual([]);
    expect(usage).toEqual([expect.objectContaining({ output_tokens: expect.any(Number) })]);
    // The protocol package's server codec sends them unchanged (extra 0.169 keys included),
    // plus 0.169's emittedAtMs.
    const codec = createCodec("server", { now: () => 7 });
    for (const n of log.all) {
      expect(JSON.parse(codec.encodeNotification(n.method, n.params as never))).toEqual({
        ...n,
        emittedAtMs: 7,
      });
    }
    const request = backend.state.lastRequest("codex.responses");
    expect(request?.headers["thread-id"]).toBe(thread.id);
    expect(request?.headers.originator).toBe("demo_client");
    expect(request?.headers["user-agent"]).toBe("demo_client/0.169.0 (test)");
  });

  it("without output_item.added sends item/started and item/completed together, no delta", async () => {
    const e = await chatgptEngine();
    const { thread } = await e.startThread({ cwd: dirs.cwd });
    backend.enqueue(
      scripts.stream([
        { type: "created" },
        {
          type: "output_item_done",
          item: {
            type: "message",
            id: "msg_quiet",
            role: "assistant",
            content: [{ type: "output_text", text: "all at once" }],
          },
        },
        { type: "completed" },
      ]),
    );
    const log = notificationLog();
    await e.startTurn(thread.id, text("hi"), log.sink);
    await e.waitForIdle(thread.id);
    expect(log.methods()).toEqual([
      "turn/started",
      "item/started",
      "item/completed",
      "item/started",
      "item/completed",
      "turn/completed",
    ]);
    expect(log.params("item/completed")[1]?.item).toMatchObject({
      id: "msg_quiet",
      text: "all at once",
    });
  });

  it("a failed response sends error then a failed turn/completed", async () => {
    const e = await chatgptEngine();
    const { thread } = await e.startThread({ cwd: dirs.cwd });
    backend.enqueue(scripts.failed("invalid_prompt", "the prompt was refused"));
    const log = notificationLog();
    const turn = await e.startTurn(thread.id, text("hi"), log.sink);
    await e.waitForIdle(thread.id);
    expect(log.methods()).toEqual([
      "turn/started",
      "item/started",
      "item/completed",
      "error",
      "turn/completed",
    ]);
    const error = {
      message: "the prompt was refused",
      codexErrorInfo: "other",
      additionalDetails: null,
      misalignment: null,
    };
    expect(log.params("error")[0]).toEqual({
      error,
      willRetry: false,
      threadId: thread.id,
      turnId: turn.id,
    });
    expect(log.params("turn/completed")[0]?.turn).toMatchObject({
      status: "failed",
      error,
      items: [],
      itemsView: "notLoaded",
    });
    expect(notificationSchemaErrors(log.all)).toEqual([]);
  });

  it("interrupt stops the stream, completes the turn interrupted, and the trace records cancelled", async () => {
    const traceRoot = join(dirs.home, "traces");
    const e = await chatgptEngine({ CODEX_ROLLOUT_TRACE_ROOT: traceRoot });
    const { thread } = await e.startThread({ cwd: dirs.cwd });
    backend.enqueue(scripts.stall("partial"));
    let sawDelta: () => void = () => {};
    const deltaSeen = new Promise<void>((resolve) => {
      sawDelta = resolve;
    });
    const log = notificationLog();
    const turn = await e.startTurn(thread.id, text("hi"), (n) => {
      log.sink(n);
      if (n.method === "item/agentMessage/delta") sawDelta();
    });
    await deltaSeen;
    await e.interruptTurn(thread.id, turn.id);
    expect(log.methods()).not.toContain("turn/completed"); // the interrupt answer goes first
    await e.waitForIdle(thread.id);
    expect(log.methods().at(-1)).toBe("turn/completed");
    expect(log.methods()).not.toContain("error");
    expect(log.params("turn/completed")[0]?.turn).toMatchObject({
      status: "interrupted",
      error: null,
      items: [],
      itemsView: "notLoaded",
    });
    expect(notificationSchemaErrors(log.all)).toEqual([]);
    await e.close();
    engine = undefined;
    const bundles = readdirSync(traceRoot);
    expect(bundles).toHaveLength(1);
    const trace = replayBundle(join(traceRoot, bundles[0] ?? ""));
    const calls = [...trace.inferenceCalls.values()];
    expect(calls.map((c) => c.execution.status)).toEqual(["cancelled"]);
    const lines = await loadRolloutItems(thread.path);
    expect(
      lines.items.some((l) => l.type === "event_msg" && l.payload.type === "turn_aborted"),
    ).toBe(true);
  });

  it("over the Responses WebSocket: deltas stream, and an interrupt is traced cancelled", async () => {
    const traceRoot = join(dirs.home, "traces");
    const e = await chatgptEngine({ CODEX_ROLLOUT_TRACE_ROOT: traceRoot }, [
      "model_providers.demo.supports_websockets=true",
    ]);
    const { thread } = await e.startThread({ cwd: dirs.cwd });
    backend.enqueue(announced("msg_ws", ["over ", "ws"]));
    const log = notificationLog();
    await e.startTurn(thread.id, text("hi"), log.sink);
    await e.waitForIdle(thread.id);
    expect(log.params("item/agentMessage/delta").map((p) => p.delta)).toEqual(["over ", "ws"]);
    expect(backend.state.lastRequest("codex.responses")?.transport).toBe("websocket");
    backend.enqueue(scripts.stall("partial"));
    let sawDelta: () => void = () => {};
    const deltaSeen = new Promise<void>((resolve) => {
      sawDelta = resolve;
    });
    const turn = await e.startTurn(thread.id, text("again"), (n) => {
      if (n.method === "item/agentMessage/delta") sawDelta();
    });
    await deltaSeen;
    await e.interruptTurn(thread.id, turn.id);
    await e.close();
    engine = undefined;
    const bundle = readdirSync(traceRoot)[0] ?? "";
    const calls = [...replayBundle(join(traceRoot, bundle)).inferenceCalls.values()];
    expect(calls.map((c) => c.execution.status).sort()).toEqual(["cancelled", "completed"]);
  });

  it("close() cancels a running turn and flushes its rollout", async () => {
    const e = await chatgptEngine();
    const { thread } = await e.startThread({ cwd: dirs.cwd });
    backend.enqueue(scripts.stall("partial"));
    let sawDelta: () => void = () => {};
    const deltaSeen = new Promise<void>((resolve) => {
      sawDelta = resolve;
    });
    const log = notificationLog();
    await e.startTurn(thread.id, text("hi"), (n) => {
      log.sink(n);
      if (n.method === "item/agentMessage/delta") sawDelta();
    });
    await deltaSeen;
    await e.close();
    engine = undefined;
    expect(log.params("turn/completed")[0]?.turn).toMatchObject({ status: "interrupted" });
    const loaded = await loadRolloutItems(thread.path);
    expect(loaded.items.at(-1)).toMatchObject({
      type: "event_msg",
      payload: { type: "turn_aborted", reason: "interrupted" },
    });
    await e.close(); // idempotent
  });

  it("sends and records the base instructions when given", async () => {
    const e = await chatgptEngine({}, [], "You are a test agent.");
    const { thread } = await e.startThread({ cwd: dirs.cwd });
    await e.startTurn(thread.id, text("hi"), () => {});
    await e.waitForIdle(thread.id);
    const body = backend.state.lastRequest("codex.responses")?.body as { instructions?: string };
    expect(body.instructions).toBe("You are a test agent.");
    const loaded = await loadRolloutItems(thread.path);
    expect(loaded.sessionMeta?.base_instructions).toEqual({ text: "You are a test agent." });
  });

  it("records a rollout that listThreads and getRolloutHistory read", async () => {
    const e = await chatgptEngine();
    const { thread } = await e.startThread({ cwd: dirs.cwd });
    await e.startTurn(thread.id, text("remember PINEAPPLE"), () => {});
    await e.waitForIdle(thread.id);
    await e.close();
    engine = undefined;
    const page = await listThreads({ codexHome: dirs.home, pageSize: 10 });
    expect(page.items.map((i) => [i.threadId, i.firstUserMessage, i.source])).toEqual([
      [thread.id, "remember PINEAPPLE", "vscode"],
    ]);
    const history = await getRolloutHistory(thread.path);
    expect(history.type).toBe("resumed");
    const loaded = await loadRolloutItems(thread.path);
    expect(loaded.parseErrors).toBe(0);
    expect(loaded.items.map((l) => (l.type === "event_msg" ? l.payload.type : l.type))).toEqual([
      "session_meta",
      "task_started",
      "turn_context",
      "response_item",
      "user_message",
      "response_item",
      "agent_message",
      "token_usage_record",
      "token_count",
      "task_complete",
    ]);
  });

  it("resumeThread continues a stored thread with its history", async () => {
    const first = await chatgptEngine();
    const { thread } = await first.startThread({ cwd: dirs.cwd });
    await first.startTurn(thread.id, text("remember PINEAPPLE"), () => {});
    await first.waitForIdle(thread.id);
    await first.close();
    engine = undefined;

    const second = await chatgptEngine();
    const resumed = await second.resumeThread(thread.id);
    expect(resumed.thread).toMatchObject({ id: thread.id, path: thread.path, cwd: dirs.cwd });
    expect(resumed.thread.preview).toBe("remember PINEAPPLE");
    const log = notificationLog();
    await second.startTurn(thread.id, text("what was the word?"), log.sink);
    await second.waitForIdle(thread.id);
    expect(log.params("turn/completed")[0]?.turn).toMatchObject({ status: "completed" });
    const body = backend.state.lastRequest("codex.responses")?.body as {
      input: { role: string; content: { text: string }[] }[];
    };
    expect(body.input.map((m) => [m.role, m.content[0]?.text])).toEqual([
      ["user", "remember PINEAPPLE"],
      ["assistant", "remember PINEAPPLE"],
      ["user", "what was the word?"],
    ]);
    await expect(second.resumeThread("01a246f9-0000-7000-8000-000000000000")).rejects.toMatchObject(
      {
        code: "thread_not_found",
      },
    );
  });

  it("refuses bad input with typed errors and nothing sent", async () => {
    const e = await chatgptEngine();
    const { thread } = await e.startThread({ cwd: dirs.cwd });
    const sink = () => {};
    await expect(e.startTurn("nope", text("x"), sink)).rejects.toMatchObject({
      code: "thread_not_found",
    });
    for (const input of [[], "hi", [{ type: "bogus" }], [{ type: "text", text: 3 }], null]) {
      await expect(e.startTurn(thread.id, input, sink)).rejects.toMatchObject({
        code: "invalid_argument",
      });
    }
    await expect(e.interruptTurn(thread.id, "no-turn")).rejects.toMatchObject({
      code: "turn_not_found",
    });
    expect(backend.state.requestsTo("codex.responses")).toHaveLength(0);
    await e.close();
    await expect(e.startThread({})).rejects.toMatchObject({ code: "closed" });
    engine = undefined;
  });
});

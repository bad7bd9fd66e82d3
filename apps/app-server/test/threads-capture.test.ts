/**
 * Our engine beside a transcript of the real `codex app-server` 0.169.0
 * (test/fixtures/threads-0169-capture.json): the same `thread/start`, then the same three turns
 * (an announced message with two deltas, a stall interrupted by `turn/interrupt`, a refused
 * response) must give the same notification kinds in the same order, with the same keys, in the
 * same order, holding values of the same JSON types.
 */
import { readFileSync } from "node:fs";
import type { ServerNotification } from "@codex/app-server-protocol";
import { type FakeBackend, scripts, startFakeBackend } from "@codex/fake-backend";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createThreadEngine, type ThreadEngine } from "../src/threads/index.js";
import { apiKeyConfig, authManager, tempHome, text } from "./threads-support.js";

interface Capture {
  threadStartResult: unknown;
  turnStartResult: unknown;
  interruptResult: unknown;
  notifications: { method: string; params: unknown }[];
}
const capture = JSON.parse(
  readFileSync(new URL("./fixtures/threads-0169-capture.json", import.meta.url), "utf8"),
) as Capture;

/** The structure of a JSON value: key order and value types, never the values. */
function shape(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v)]);
  }
  return typeof value;
}

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

describe("the engine beside the real 0.169 app-server", () => {
  it("thread/start, three turns and turn/interrupt have 0.169's structure", async () => {
    const auth = await authManager(backend, dirs.home);
    await auth.loginWithApiKey("sk-threads-capture");
    const e = createThreadEngine({
      config: await apiKeyConfig(backend, dirs.home),
      auth,
      originator: "codex_conformance",
      userAgent: "codex_conformance/0.169.0",
      sessionSource: "vscode",
      env: {},
    });
    engine = e;
    const started = await e.startThread({ cwd: dirs.cwd });
    expect(shape(started)).toEqual(shape(capture.threadStartResult));
    const all: ServerNotification[] = [
      { method: "thread/started", params: { thread: started.thread } },
    ];
    const sink = (n: ServerNotification) => {
      all.push(n);
    };
    const id = started.thread.id;

    backend.enqueue(
      scripts.stream([
        { type: "created" },
        {
          type: "output_item_added",
          item: {
            type: "message",
            id: "msg_demo",
            role: "assistant",
            status: "in_progress",
            content: [],
          },
        },
        { type: "text_delta", delta: "hello " },
        { type: "text_delta", delta: "demo" },
        {
          type: "output_item_done",
          item: {
            type: "message",
            id: "msg_demo",
            role: "assistant",
            status: "completed",
            content: [{ type: "output_text", text: "hello demo", annotations: [] }],
          },
        },
        { type: "completed" },
      ]),
    );
    const turn = await e.startTurn(id, text("hi"), sink);
    expect(shape({ turn })).toEqual(shape(capture.turnStartResult));
    await e.waitForIdle(id);

    backend.enqueue(scripts.stall("partial"));
    let sawDelta: () => void = () => {};
    const deltaSeen = new Promise<void>((resolve) => {
      sawDelta = resolve;
    });
    const second = await e.startTurn(id, text("stall"), (n) => {
      sink(n);
      if (n.method === "item/agentMessage/delta") sawDelta();
    });
    await deltaSeen;
    await e.interruptTurn(id, second.id);
    await e.waitForIdle(id);

    backend.enqueue(scripts.failed("invalid_prompt", "the prompt was refused"));
    await e.startTurn(id, text("fail"), sink);
    await e.waitForIdle(id);

    expect(all.map((n) => n.method)).toEqual(capture.notifications.map((n) => n.method));
    all.forEach((n, i) => {
      expect(shape(n.params), `${i}: ${n.method}`).toEqual(shape(capture.notifications[i]?.params));
    });
    const failed = all.filter((n) => n.method === "error")[0]?.params;
    expect(failed).toEqual({
      ...(capture.notifications.find((n) => n.method === "error")?.params as object),
      threadId: id,
      turnId: (failed as { turnId: string }).turnId,
    });
  });
});

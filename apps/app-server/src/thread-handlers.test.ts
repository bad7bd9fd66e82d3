import { describe, expect, it } from "vitest";
import type { ConnectionSession } from "./run-app-server.js";
import { engineThreadSurface } from "./thread-handlers.js";
import { type ThreadEngine, ThreadEngineError, type ThreadStartResult } from "./threads/index.js";

const started = { thread: { id: "thr-1" } } as unknown as ThreadStartResult;

function surface(engine: Partial<ThreadEngine>) {
  const sent: Array<[string, unknown]> = [];
  const later: Array<() => unknown> = [];
  const session = {
    notify: (method: string, params: unknown) => sent.push([method, params]),
    afterReply: (task: () => unknown) => later.push(task),
  } as unknown as ConnectionSession;
  const built = engineThreadSurface(session, () => engine as ThreadEngine);
  const context = { id: 1, signal: new AbortController().signal };
  return { built, sent, later, context };
}

describe("engineThreadSurface", () => {
  it("answers thread/start, then sends thread/started after the reply", async () => {
    const { built, sent, later, context } = surface({ startThread: async () => started });
    expect(await built.handlers["thread/start"]?.({}, context)).toBe(started);
    expect(sent).toEqual([]);
    for (const task of later) task();
    expect(sent).toEqual([["thread/started", { thread: started.thread }]]);
  });

  it("forwards a turn's notifications and answers interrupt with {}", async () => {
    const { built, sent, context } = surface({
      startTurn: async (_thread, _input, sink) => {
        sink({ method: "turn/started", params: { threadId: "thr-1", turn: {} } } as never);
        return { id: "turn-1" } as never;
      },
      interruptTurn: async () => {},
    });
    expect(
      await built.handlers["turn/start"]?.({ threadId: "thr-1", input: [] } as never, context),
    ).toEqual({ turn: { id: "turn-1" } });
    expect(sent).toEqual([["turn/started", { threadId: "thr-1", turn: {} }]]);
    expect(
      await built.handlers["turn/interrupt"]?.({ threadId: "thr-1", turnId: "turn-1" }, context),
    ).toEqual({});
  });

  it.each([
    ["thread_not_found", -32600],
    ["turn_in_progress", -32600],
    ["rollout_failed", -32603],
    ["closed", -32603],
  ] as const)("maps the engine's %s to a %i reply with its text", async (code, rpc) => {
    const { built, context } = surface({
      interruptTurn: async () => {
        throw new ThreadEngineError(code, `engine says ${code}`);
      },
    });
    await expect(
      built.handlers["turn/interrupt"]?.({ threadId: "t", turnId: "u" }, context),
    ).rejects.toMatchObject({ rpcError: { code: rpc, message: `engine says ${code}` } });
  });

  it("close() closes the engine", async () => {
    let closed = false;
    const { built } = surface({
      close: async () => {
        closed = true;
      },
    });
    await built.close();
    expect(closed).toBe(true);
  });
});

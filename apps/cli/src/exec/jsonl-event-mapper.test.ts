import { describe, expect, it } from "vitest";
import { formatExecEvent } from "./exec-events.js";
import { JsonlEventMapper } from "./jsonl-event-mapper.js";
import type { TurnEvent } from "./turn-notification.js";

const agent = (text: string): TurnEvent => ({
  kind: "itemCompleted",
  item: { kind: "agentMessage", id: "msg", text },
});
const totals = {
  inputTokens: 10,
  cachedInputTokens: 4,
  cacheWriteInputTokens: 0,
  outputTokens: 3,
  reasoningOutputTokens: 1,
};

describe("JsonlEventMapper", () => {
  it("maps a completed turn as 0.169: ids in completion order, usage from the totals", () => {
    const m = new JsonlEventMapper();
    const lines = [
      m.threadStarted("t-1"),
      ...m.map({ kind: "turnStarted" }),
      ...m.map({ kind: "itemStarted", item: { kind: "agentMessage", id: "msg", text: "" } }),
      ...m.map(agent("first")),
      ...m.map({ kind: "warning", message: "careful" }),
      ...m.map(agent("second")),
      ...m.map({ kind: "tokenUsage", total: totals }),
      ...m.map({
        kind: "turnCompleted",
        status: "completed",
        errorMessage: undefined,
        agentMessages: ["first", "second"],
      }),
    ].map(formatExecEvent);
    expect(lines.join("")).toBe(
      [
        '{"type":"thread.started","thread_id":"t-1"}',
        '{"type":"turn.started"}',
        '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"first"}}',
        '{"type":"item.completed","item":{"id":"item_1","type":"error","message":"careful"}}',
        '{"type":"item.completed","item":{"id":"item_2","type":"agent_message","text":"second"}}',
        '{"type":"turn.completed","usage":{"input_tokens":10,"cached_input_tokens":4,"cache_write_input_tokens":0,"output_tokens":3,"reasoning_output_tokens":1}}',
        "",
      ].join("\n"),
    );
    expect(m.outcome).toBe("completed");
    expect(m.finalMessage).toBe("second");
  });

  it("reports zero usage when the turn reported none", () => {
    const m = new JsonlEventMapper();
    expect(
      m.map({
        kind: "turnCompleted",
        status: "completed",
        errorMessage: undefined,
        agentMessages: [],
      }),
    ).toEqual([
      {
        type: "turn.completed",
        usage: {
          input_tokens: 0,
          cached_input_tokens: 0,
          cache_write_input_tokens: 0,
          output_tokens: 0,
          reasoning_output_tokens: 0,
        },
      },
    ]);
  });

  it("a failed turn: error event, then turn.failed with the turn's error (else the last error)", () => {
    const m = new JsonlEventMapper();
    expect(m.map({ kind: "error", message: "boom", willRetry: false })).toEqual([
      { type: "error", message: "boom" },
    ]);
    m.map(agent("partial"));
    expect(
      m.map({
        kind: "turnCompleted",
        status: "failed",
        errorMessage: undefined,
        agentMessages: [],
      }),
    ).toEqual([{ type: "turn.failed", error: { message: "boom" } }]);
    expect(m.outcome).toBe("failed");
    expect(m.finalMessage).toBeUndefined();
    const fresh = new JsonlEventMapper();
    expect(
      fresh.map({
        kind: "turnCompleted",
        status: "failed",
        errorMessage: undefined,
        agentMessages: [],
      }),
    ).toEqual([{ type: "turn.failed", error: { message: "turn failed" } }]);
  });

  it("an interrupted turn prints nothing more; empty reasoning is skipped", () => {
    const m = new JsonlEventMapper();
    expect(
      m.map({ kind: "itemCompleted", item: { kind: "reasoning", id: "r", text: "  " } }),
    ).toEqual([]);
    expect(
      m.map({
        kind: "turnCompleted",
        status: "interrupted",
        errorMessage: undefined,
        agentMessages: [],
      }),
    ).toEqual([]);
    expect(m.outcome).toBe("interrupted");
    expect(m.map({ kind: "ignored" })).toEqual([]);
  });
});

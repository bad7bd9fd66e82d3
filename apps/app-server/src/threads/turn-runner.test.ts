import type { ResponseEvent } from "@codex/model-client";
import { ModelClientError } from "@codex/model-client";
import type { RolloutItem } from "@codex/rollout";
import { silentLogger } from "@codex/wire";
import { describe, expect, it } from "vitest";
import type { TurnNotification } from "./thread-items.js";
import { turnContextItem } from "./turn-context-item.js";
import { runTurn, type TurnContext, type TurnModelClient } from "./turn-runner.js";
import { prepareUserInput } from "./user-input.js";

function client(events: readonly ResponseEvent[], failWith?: Error): TurnModelClient {
  return {
    newSession: () => ({
      async *stream() {
        for (const event of events) yield event;
        if (failWith !== undefined) throw failWith;
      },
      close() {},
    }),
  };
}

function context(c: TurnModelClient, extra: Partial<TurnContext> = {}) {
  const notifications: TurnNotification[] = [];
  const recorded: RolloutItem[] = [];
  let t = 1_000_000;
  const ctx: TurnContext = {
    threadId: "thread",
    turnId: "turn",
    input: prepareUserInput([{ type: "text", text: "hi" }]),
    history: [],
    client: c,
    model: "m",
    reasoningEffort: undefined,
    turnMetadata: () => "{}",
    trace: undefined,
    signal: new AbortController().signal,
    nowMs: () => t++,
    logger: silentLogger,
    beforeModel: async () => {},
    record: async (items) => {
      recorded.push(...items);
    },
    emit: (n) => notifications.push(n),
    onStopped: () => {},
    ...extra,
  };
  return { ctx, notifications, recorded };
}

const added = (id: string): ResponseEvent => ({
  type: "output_item_added",
  item: { type: "message", id, role: "assistant", content: [] },
});
const done = (id: string, text: string): ResponseEvent => ({
  type: "output_item_done",
  item: { type: "message", id, role: "assistant", content: [{ type: "output_text", text }] },
});

describe("runTurn", () => {
  it("drops partial output on a reconnect and announces the resent item again", async () => {
    const { ctx, notifications } = context(
      client([
        added("a"),
        { type: "output_text_delta", delta: "par" },
        {
          type: "reconnecting",
          attempt: 1,
          maxAttempts: 1,
          error: new ModelClientError("stream", "cut"),
        },
        added("a"),
        { type: "output_text_delta", delta: "full" },
        done("a", "full"),
        { type: "completed", responseId: "r" },
      ]),
    );
    const outcome = await runTurn(ctx);
    expect(outcome.status).toBe("completed");
    expect(notifications.map((n) => n.method)).toEqual([
      "turn/started",
      "item/started",
      "item/completed",
      "item/started",
      "item/agentMessage/delta",
      "item/started",
      "item/agentMessage/delta",
      "item/completed",
      "turn/completed",
    ]);
    expect(outcome.historyItems).toEqual([
      { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "full" }] },
    ]);
  });

  it("ignores deltas of an unannounced item and completes it with its full text", async () => {
    const { ctx, notifications, recorded } = context(
      client([
        { type: "output_text_delta", delta: "x" },
        done("b", "whole"),
        { type: "completed", responseId: "r" },
      ]),
    );
    await runTurn(ctx);
    expect(notifications.map((n) => n.method)).not.toContain("item/agentMessage/delta");
    const last = notifications.at(-1);
    expect(last?.method === "turn/completed" && last.params.turn.items).toMatchObject([
      { type: "agentMessage", id: "b", text: "whole" },
    ]);
    expect(recorded.map((i) => (i.type === "event_msg" ? i.payload.type : i.type))).toEqual([
      "task_started",
      "response_item",
      "user_message",
      "response_item",
      "agent_message",
      "task_complete",
    ]);
  });

  it("fails the turn when the step before the model throws, with its message", async () => {
    const { ctx, notifications } = context(client([]), {
      beforeModel: async () => {
        throw new Error("no agent task");
      },
    });
    const outcome = await runTurn(ctx);
    expect(outcome.status).toBe("failed");
    expect(notifications.map((n) => n.method).slice(-2)).toEqual(["error", "turn/completed"]);
    const error = notifications.find((n) => n.method === "error");
    expect(error?.method === "error" && error.params.error.message).toBe("no agent task");
  });

  it("an aborted signal completes the turn interrupted after onStopped", async () => {
    const controller = new AbortController();
    const order: string[] = [];
    const c: TurnModelClient = {
      newSession: () => ({
        async *stream() {
          yield added("a");
          controller.abort();
          throw new ModelClientError("aborted", "the model stream was cancelled");
        },
        close() {},
      }),
    };
    const { ctx } = context(c, {
      signal: controller.signal,
      onStopped: () => order.push("stopped"),
      emit: (n) => order.push(n.method),
    });
    const outcome = await runTurn(ctx);
    expect(outcome.status).toBe("interrupted");
    expect(order.slice(-2)).toEqual(["stopped", "turn/completed"]);
    expect(order).not.toContain("error");
  });

  it("records the turn_context after task_started and a token_count per response with usage", async () => {
    const usage = {
      inputTokens: 10,
      cachedInputTokens: 0,
      outputTokens: 2,
      reasoningOutputTokens: 0,
      totalTokens: 12,
    };
    const seen: number[] = [];
    const steps: number[] = [];
    const turnContext = turnContextItem({
      turnId: "turn",
      cwd: "/w",
      model: "m",
      reasoningEffort: undefined,
      approvalPolicy: "never",
    });
    const before = {
      input_tokens: 90,
      cached_input_tokens: 0,
      cache_write_input_tokens: 0,
      output_tokens: 8,
      reasoning_output_tokens: 0,
      total_tokens: 98,
    };
    const { ctx, recorded } = context(
      client([
        { type: "rate_limits", snapshot: { limitId: "codex", planType: "plus" } },
        done("a", "hello"),
        { type: "completed", responseId: "r", tokenUsage: usage },
      ]),
      {
        turnContext,
        tokenUsage: before,
        onTokenUsageStep: (step) => {
          seen.push(step.last.input_tokens);
          steps.push(step.total.input_tokens);
        },
      },
    );
    const outcome = await runTurn(ctx);
    expect(recorded.map((i) => (i.type === "event_msg" ? i.payload.type : i.type))).toEqual([
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
    expect(recorded[1]).toBe(turnContext);
    const count = recorded.find((i) => i.type === "event_msg" && i.payload.type === "token_count");
    expect(count?.payload).toMatchObject({
      info: { total_token_usage: { input_tokens: 100, total_tokens: 110 } },
      rate_limits: { limit_id: "codex", plan_type: "plus" },
    });
    expect([seen, steps]).toEqual([[10], [100]]);
    expect(outcome.tokenUsage?.input_tokens).toBe(100);
  });

  it("a response without usage records no token_count and leaves the totals alone", async () => {
    const { ctx, recorded } = context(
      client([done("a", "hello"), { type: "completed", responseId: "r" }]),
    );
    const outcome = await runTurn(ctx);
    expect(recorded.some((i) => i.type === "token_usage_record")).toBe(false);
    expect(outcome.tokenUsage).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import {
  failureError,
  mapResponsesEvent,
  parseRetryDelayMs,
  parseTokenUsage,
} from "./response-event.js";

describe("mapResponsesEvent", () => {
  it("maps the stream events upstream knows", () => {
    const item = { type: "message", role: "assistant", content: [] };
    expect(mapResponsesEvent({ type: "response.created", response: {} })).toEqual({
      kind: "event",
      event: { type: "created" },
    });
    expect(mapResponsesEvent({ type: "response.output_item.done", item })).toEqual({
      kind: "event",
      event: { type: "output_item_done", item },
    });
    expect(mapResponsesEvent({ type: "response.output_text.delta", delta: "he" })).toEqual({
      kind: "event",
      event: { type: "output_text_delta", delta: "he" },
    });
    expect(
      mapResponsesEvent({
        type: "response.custom_tool_call_input.delta",
        call_id: "c1",
        delta: "x",
      }),
    ).toEqual({
      kind: "event",
      event: { type: "tool_call_input_delta", itemId: "c1", callId: "c1", delta: "x" },
    });
    expect(
      mapResponsesEvent({
        type: "response.reasoning_summary_text.delta",
        delta: "r",
        summary_index: 1,
      }),
    ).toEqual({
      kind: "event",
      event: { type: "reasoning_summary_delta", delta: "r", summaryIndex: 1 },
    });
    expect(
      mapResponsesEvent({ type: "response.reasoning_text.delta", delta: "r", content_index: 0 }),
    ).toEqual({
      kind: "event",
      event: { type: "reasoning_content_delta", delta: "r", contentIndex: 0 },
    });
    expect(
      mapResponsesEvent({ type: "response.reasoning_summary_part.added", summary_index: 2 }),
    ).toEqual({ kind: "event", event: { type: "reasoning_summary_part_added", summaryIndex: 2 } });
    expect(
      mapResponsesEvent({
        type: "response.completed",
        response: {
          id: "resp_1",
          end_turn: true,
          usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 },
        },
      }),
    ).toEqual({
      kind: "event",
      event: {
        type: "completed",
        responseId: "resp_1",
        endTurn: true,
        tokenUsage: {
          inputTokens: 3,
          cachedInputTokens: 0,
          outputTokens: 2,
          reasoningOutputTokens: 0,
          totalTokens: 5,
        },
      },
    });
  });

  it("skips unknown types and malformed items", () => {
    expect(mapResponsesEvent({ type: "response.in_progress" }).kind).toBe("ignore");
    expect(mapResponsesEvent({ type: "response.output_item.added", item: "x" }).kind).toBe(
      "ignore",
    );
    expect(mapResponsesEvent({ type: "response.reasoning_text.delta", delta: "r" }).kind).toBe(
      "ignore",
    );
  });

  it("turns response.failed and response.incomplete into failures", () => {
    const failed = mapResponsesEvent({
      type: "response.failed",
      response: { error: { code: "insufficient_quota", message: "m" } },
    });
    expect(failed.kind === "failure" && failed.error.message).toBe(
      "Quota exceeded. Check your plan and billing details.",
    );
    const incomplete = mapResponsesEvent({
      type: "response.incomplete",
      response: { incomplete_details: { reason: "max_output_tokens" } },
    });
    expect(incomplete.kind === "failure" && incomplete.error.message).toBe(
      "Incomplete response returned, reason: max_output_tokens",
    );
  });
});

describe("failureError", () => {
  it.each([
    ["context_length_exceeded", "context_window_exceeded"],
    ["insufficient_quota", "quota_exceeded"],
    ["usage_not_included", "usage_not_included"],
    ["cyber_policy", "cyber_policy"],
    ["invalid_prompt", "invalid_request"],
    ["server_is_overloaded", "server_overloaded"],
    ["slow_down", "server_overloaded"],
    ["rate_limit_exceeded", "retryable"],
    ["something_else", "retryable"],
  ])("%s → %s", (code, expected) => {
    expect(failureError(code, "msg").code).toBe(expected);
  });

  it("reads the delay of a rate-limit failure only", () => {
    expect(failureError("rate_limit_exceeded", "Please try again in 1.5s.").retryAfterMs).toBe(
      1500,
    );
    expect(failureError("other", "Please try again in 1.5s.").retryAfterMs).toBeUndefined();
    expect(parseRetryDelayMs("try again in 20ms")).toBe(20);
    expect(parseRetryDelayMs("Try again in 3 seconds")).toBe(3000);
    expect(parseRetryDelayMs("later")).toBeUndefined();
    expect(failureError("cyber_policy", " ").message).not.toBe(" ");
  });

  it("parses usage details with defaults", () => {
    expect(
      parseTokenUsage({
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 2 },
        total_tokens: 15,
      }),
    ).toEqual({
      inputTokens: 10,
      cachedInputTokens: 4,
      outputTokens: 5,
      reasoningOutputTokens: 2,
      totalTokens: 15,
    });
    expect(parseTokenUsage(null)).toBeUndefined();
  });
});

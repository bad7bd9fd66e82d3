import { parseRolloutLine, validateRolloutItem } from "@codex/rollout";
import { describe, expect, it } from "vitest";
import {
  addTokenUsage,
  NO_TOKEN_USAGE,
  rateLimitsJson,
  recordedTokenUsage,
  tokenUsageItems,
  tokenUsageOf,
} from "./token-usage.js";

const usage = {
  inputTokens: 100,
  cachedInputTokens: 10,
  outputTokens: 5,
  reasoningOutputTokens: 2,
  totalTokens: 105,
};
const counted = {
  input_tokens: 100,
  cached_input_tokens: 10,
  cache_write_input_tokens: 0,
  output_tokens: 5,
  reasoning_output_tokens: 2,
  total_tokens: 105,
};

describe("token usage", () => {
  it("counts a response in 0.169's keys and adds counts key by key", () => {
    expect(tokenUsageOf(usage)).toEqual(counted);
    expect(addTokenUsage(counted, counted)).toEqual({
      input_tokens: 200,
      cached_input_tokens: 20,
      cache_write_input_tokens: 0,
      output_tokens: 10,
      reasoning_output_tokens: 4,
      total_tokens: 210,
    });
    expect(addTokenUsage(NO_TOKEN_USAGE, counted)).toEqual(counted);
  });

  it("writes token_usage_record then token_count, both valid rollout items", () => {
    const items = tokenUsageItems({
      threadId: "t",
      turnId: "u",
      responseId: "resp_1",
      last: counted,
      turn: counted,
      total: addTokenUsage(counted, counted),
      rateLimits: undefined,
    });
    expect(items.map((i) => i.type)).toEqual(["token_usage_record", "event_msg"]);
    for (const item of items) expect(() => validateRolloutItem(item)).not.toThrow();
    expect(items[1]?.payload).toMatchObject({
      type: "token_count",
      info: {
        total_token_usage: { input_tokens: 200 },
        last_token_usage: counted,
        last_usage_includes_reasoning: false,
        model_context_window: null,
      },
      rate_limits: { limit_id: "codex", primary: null },
    });
    expect(items[0]?.payload).toMatchObject({ response_id: "resp_1", session_id: "t" });
  });

  it("writes a rate-limit snapshot in 0.169's keys", () => {
    expect(
      rateLimitsJson({
        limitId: "codex",
        primary: { usedPercent: 12.5, windowMinutes: 300, resetsAt: 99 },
        credits: { hasCredits: true, unlimited: false },
        planType: "plus",
      }),
    ).toEqual({
      limit_id: "codex",
      limit_name: null,
      primary: { used_percent: 12.5, window_minutes: 300, resets_at: 99 },
      secondary: null,
      credits: { has_credits: true, unlimited: false, balance: null },
      individual_limit: null,
      spend_control_reached: null,
      plan_type: "plus",
      rate_limit_reached_type: null,
    });
  });

  it("reads the last token_count total of a rollout, ignoring lines without one", () => {
    const line = (payload: unknown) =>
      parseRolloutLine({ timestamp: "2026-12-05T16:06:05.018Z", type: "event_msg", payload });
    const lines = [
      line({ type: "token_count", info: { total_token_usage: counted }, rate_limits: null }),
      line({ type: "token_count", info: { total_token_usage: { ...counted, input_tokens: 300 } } }),
      line({ type: "token_count", info: null, rate_limits: null }),
      line({ type: "agent_message", message: "x", phase: null }),
    ];
    expect(recordedTokenUsage(lines)?.input_tokens).toBe(300);
    expect(recordedTokenUsage(lines.slice(2))).toBeUndefined();
    expect(
      recordedTokenUsage([
        line({ type: "token_count", info: { total_token_usage: { input_tokens: -1 } } }),
      ]),
    ).toEqual({ ...NO_TOKEN_USAGE });
  });
});

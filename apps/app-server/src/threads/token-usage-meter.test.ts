import { describe, expect, it } from "vitest";
import { TokenUsageMeter } from "./token-usage-meter.js";

const usage = (input: number) => ({
  inputTokens: input,
  cachedInputTokens: 0,
  outputTokens: 1,
  reasoningOutputTokens: 0,
  totalTokens: input + 1,
});

describe("TokenUsageMeter", () => {
  it("counts each response on top of the turn's and the thread's usage", () => {
    const before = {
      input_tokens: 1000,
      cached_input_tokens: 0,
      cache_write_input_tokens: 0,
      output_tokens: 10,
      reasoning_output_tokens: 0,
      total_tokens: 1010,
    };
    const meter = new TokenUsageMeter("t", "u", before);
    expect(meter.total).toBe(before);
    meter.add("r1", usage(100));
    const step = meter.add("r2", usage(50));
    expect([step.last.input_tokens, step.turn.input_tokens, step.total.input_tokens]).toEqual([
      50, 150, 1150,
    ]);
    expect(step).toMatchObject({ threadId: "t", turnId: "u", responseId: "r2" });
    expect(meter.total?.total_tokens).toBe(1010 + 101 + 51);
  });

  it("has no total before any usage of a new thread, and keeps the codex rate limits", () => {
    const meter = new TokenUsageMeter("t", "u", undefined);
    expect(meter.total).toBeUndefined();
    meter.rateLimitsSeen({ limitId: "codex", planType: "plus" });
    meter.rateLimitsSeen({ limitId: "codex_other", planType: "pro" });
    expect(meter.add(undefined, usage(1)).rateLimits).toEqual({
      limitId: "codex",
      planType: "plus",
    });
  });
});

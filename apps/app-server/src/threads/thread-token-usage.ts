import type { TokenUsageStep, TokenUsageTotals } from "./token-usage.js";

/** `TokenUsageBreakdown` of 0.169's app-server protocol. */
export type TokenUsageBreakdown = {
  readonly totalTokens: number;
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly cacheWriteInputTokens: number;
  readonly outputTokens: number;
  readonly reasoningOutputTokens: number;
};

/** Params of 0.169's `thread/tokenUsage/updated` notification. */
export type ThreadTokenUsageUpdatedParams = {
  readonly threadId: string;
  readonly turnId: string;
  readonly tokenUsage: {
    readonly total: TokenUsageBreakdown;
    readonly last: TokenUsageBreakdown;
    readonly modelContextWindow: number | null;
  };
};

function breakdown(usage: TokenUsageTotals): TokenUsageBreakdown {
  return {
    totalTokens: usage.total_tokens,
    inputTokens: usage.input_tokens,
    cachedInputTokens: usage.cached_input_tokens,
    cacheWriteInputTokens: usage.cache_write_input_tokens,
    outputTokens: usage.output_tokens,
    reasoningOutputTokens: usage.reasoning_output_tokens,
  };
}

/**
 * The params of the `thread/tokenUsage/updated` notification 0.169 sends after each model
 * response with usage (the thread's total, this response's, no known context window), from a
 * turn's `onTokenUsageStep` hook.
 *
 * @example engine.startTurn(id, input, send, { onTokenUsageStep: (s) => notify("thread/tokenUsage/updated", threadTokenUsageUpdatedParams(s)) });
 */
export function threadTokenUsageUpdatedParams(step: TokenUsageStep): ThreadTokenUsageUpdatedParams {
  return {
    threadId: step.threadId,
    turnId: step.turnId,
    tokenUsage: {
      total: breakdown(step.total),
      last: breakdown(step.last),
      modelContextWindow: null,
    },
  };
}

import type {
  ThreadTokenUsageUpdatedNotification,
  TokenUsageBreakdown,
} from "@codex/app-server-protocol";
import type { TokenUsageStep, TokenUsageTotals } from "./token-usage.js";

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
export function threadTokenUsageUpdatedParams(
  step: TokenUsageStep,
): ThreadTokenUsageUpdatedNotification {
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

import type { RateLimitSnapshot, RateLimitWindow, TokenUsage } from "@codex/model-client";
import type { RolloutItem, RolloutLine } from "@codex/rollout";
import type { JsonObject } from "@codex/wire";

/** A token count as 0.169 records it (`TokenUsage` of its protocol, snake_case). */
export type TokenUsageTotals = {
  readonly input_tokens: number;
  readonly cached_input_tokens: number;
  readonly cache_write_input_tokens: number;
  readonly output_tokens: number;
  readonly reasoning_output_tokens: number;
  readonly total_tokens: number;
};

/** The zero count. */
export const NO_TOKEN_USAGE: TokenUsageTotals = {
  input_tokens: 0,
  cached_input_tokens: 0,
  cache_write_input_tokens: 0,
  output_tokens: 0,
  reasoning_output_tokens: 0,
  total_tokens: 0,
};

/** The count of one model response (the model client's usage; no cache writes reported). */
export function tokenUsageOf(usage: TokenUsage): TokenUsageTotals {
  return {
    input_tokens: usage.inputTokens,
    cached_input_tokens: usage.cachedInputTokens,
    cache_write_input_tokens: 0,
    output_tokens: usage.outputTokens,
    reasoning_output_tokens: usage.reasoningOutputTokens,
    total_tokens: usage.totalTokens,
  };
}

/** `a + b`, key by key. */
export function addTokenUsage(a: TokenUsageTotals, b: TokenUsageTotals): TokenUsageTotals {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    cached_input_tokens: a.cached_input_tokens + b.cached_input_tokens,
    cache_write_input_tokens: a.cache_write_input_tokens + b.cache_write_input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_output_tokens: a.reasoning_output_tokens + b.reasoning_output_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The thread's token usage recorded in a rollout (ours or upstream's): `total_token_usage` of its
 * last `token_count` event, or undefined when it has none.
 */
export function recordedTokenUsage(lines: readonly RolloutLine[]): TokenUsageTotals | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line?.type !== "event_msg" || line.payload.type !== "token_count") continue;
    const info = line.payload.info;
    const total = isRecord(info) ? info.total_token_usage : undefined;
    if (!isRecord(total)) continue;
    return {
      input_tokens: count(total.input_tokens),
      cached_input_tokens: count(total.cached_input_tokens),
      cache_write_input_tokens: count(total.cache_write_input_tokens),
      output_tokens: count(total.output_tokens),
      reasoning_output_tokens: count(total.reasoning_output_tokens),
      total_tokens: count(total.total_tokens),
    };
  }
  return undefined;
}

function windowJson(w: RateLimitWindow | undefined): JsonObject | null {
  if (w === undefined) return null;
  return {
    used_percent: w.usedPercent,
    window_minutes: w.windowMinutes ?? null,
    resets_at: w.resetsAt ?? null,
  };
}

/**
 * A rate-limit snapshot as 0.169 records it in `token_count` (`rate_limits`); without one, the
 * empty `codex` snapshot 0.169 writes then.
 */
export function rateLimitsJson(snapshot: RateLimitSnapshot | undefined): JsonObject {
  return {
    limit_id: snapshot?.limitId ?? "codex",
    limit_name: snapshot?.limitName ?? null,
    primary: windowJson(snapshot?.primary),
    secondary: windowJson(snapshot?.secondary),
    credits:
      snapshot?.credits === undefined
        ? null
        : {
            has_credits: snapshot.credits.hasCredits,
            unlimited: snapshot.credits.unlimited,
            balance: snapshot.credits.balance ?? null,
          },
    individual_limit: null,
    spend_control_reached: null,
    plan_type: snapshot?.planType ?? null,
    rate_limit_reached_type: null,
  };
}

/** One model response's usage within its thread and turn. */
export interface TokenUsageStep {
  readonly threadId: string;
  readonly turnId: string;
  readonly responseId: string | undefined;
  /** This response's usage. */
  readonly last: TokenUsageTotals;
  /** The turn's usage so far (this response included). */
  readonly turn: TokenUsageTotals;
  /** The thread's usage so far (this response included). */
  readonly total: TokenUsageTotals;
  readonly rateLimits: RateLimitSnapshot | undefined;
}

/**
 * The rollout lines 0.169 writes after a model response with usage: `token_usage_record` then the
 * `token_count` event (`info.total_token_usage` is what a resumed thread's totals go on from).
 */
export function tokenUsageItems(step: TokenUsageStep): RolloutItem[] {
  return [
    {
      type: "token_usage_record",
      payload: {
        thread_id: step.threadId,
        turn_id: step.turnId,
        session_id: step.threadId,
        root_turn_id: step.turnId,
        response_id: step.responseId ?? null,
        usage: step.last,
        turn_token_usage: step.turn,
        thread_token_usage: step.total,
      },
    },
    {
      type: "event_msg",
      payload: {
        type: "token_count",
        info: {
          total_token_usage: step.total,
          last_token_usage: step.last,
          last_usage_includes_reasoning: false,
          model_context_window: null,
        },
        rate_limits: rateLimitsJson(step.rateLimits),
      },
    },
  ];
}

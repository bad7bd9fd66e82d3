import type { TokenTotals } from "./turn-notification.js";

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The thread's token totals recorded in its rollout: the `total_token_usage` of the last
 * `token_count` event (upstream records one per model response), so a resumed thread's
 * `turn.completed` usage goes on from there as 0.169's does. Undefined when the rollout has none
 * or cannot be read.
 */
export async function rolloutTokenTotals(path: string): Promise<TokenTotals | undefined> {
  const { loadRolloutItems } = await import("@codex/rollout");
  let items: Awaited<ReturnType<typeof loadRolloutItems>>["items"];
  try {
    ({ items } = await loadRolloutItems(path));
  } catch {
    return undefined;
  }
  for (let i = items.length - 1; i >= 0; i--) {
    const line = items[i];
    if (line?.type !== "event_msg" || line.payload.type !== "token_count") continue;
    const info = line.payload.info;
    const total = isRecord(info) ? info.total_token_usage : undefined;
    if (!isRecord(total)) continue;
    return {
      inputTokens: count(total.input_tokens),
      cachedInputTokens: count(total.cached_input_tokens),
      cacheWriteInputTokens: count(total.cache_write_input_tokens),
      outputTokens: count(total.output_tokens),
      reasoningOutputTokens: count(total.reasoning_output_tokens),
    };
  }
  return undefined;
}

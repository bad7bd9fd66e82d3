/** One rate-limit window. */
export interface RateLimitWindow {
  /** Percentage of the window used, 0–100. */
  readonly usedPercent: number;
  /** Window length in minutes. */
  readonly windowMinutes: number;
  /** Seconds from "now" (the backend clock) until the window resets. */
  readonly resetAfterSeconds: number;
}

/** The rate-limit state the backend reports on every Responses call. */
export interface RateLimitSnapshot {
  readonly primary?: RateLimitWindow;
  readonly secondary?: RateLimitWindow;
  readonly credits?: {
    readonly hasCredits: boolean;
    readonly unlimited: boolean;
    readonly balance?: string;
  };
  /** `x-codex-limit-name`, when set. */
  readonly limitName?: string;
}

/**
 * Renders the `x-codex-*` rate-limit response headers of the `codex` family.
 *
 * @example
 * ```ts
 * rateLimitHeaders({ primary: { usedPercent: 10, windowMinutes: 300, resetAfterSeconds: 60 } }, Date.now());
 * // { "x-codex-primary-used-percent": "10", ... }
 * ```
 */
export function rateLimitHeaders(
  snapshot: RateLimitSnapshot,
  nowMs: number,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const nowSeconds = Math.floor(nowMs / 1000);
  for (const name of ["primary", "secondary"] as const) {
    const window = snapshot[name];
    if (window === undefined) continue;
    headers[`x-codex-${name}-used-percent`] = String(window.usedPercent);
    headers[`x-codex-${name}-window-minutes`] = String(window.windowMinutes);
    headers[`x-codex-${name}-reset-at`] = String(nowSeconds + window.resetAfterSeconds);
  }
  if (snapshot.credits !== undefined) {
    headers["x-codex-credits-has-credits"] = String(snapshot.credits.hasCredits);
    headers["x-codex-credits-unlimited"] = String(snapshot.credits.unlimited);
    if (snapshot.credits.balance !== undefined) {
      headers["x-codex-credits-balance"] = snapshot.credits.balance;
    }
  }
  if (snapshot.limitName !== undefined) headers["x-codex-limit-name"] = snapshot.limitName;
  return headers;
}

/**
 * The WebSocket `codex.rate_limits` event for the same snapshot.
 *
 * @example
 * ```ts
 * rateLimitEvent(snapshot, "plus", Date.now()).type; // "codex.rate_limits"
 * ```
 */
export function rateLimitEvent(
  snapshot: RateLimitSnapshot,
  planType: string,
  nowMs: number,
): Record<string, unknown> {
  const nowSeconds = Math.floor(nowMs / 1000);
  const window = (w: RateLimitWindow | undefined) =>
    w === undefined
      ? null
      : {
          used_percent: w.usedPercent,
          window_minutes: w.windowMinutes,
          reset_at: nowSeconds + w.resetAfterSeconds,
        };
  return {
    type: "codex.rate_limits",
    plan_type: planType,
    rate_limits: { primary: window(snapshot.primary), secondary: window(snapshot.secondary) },
    credits:
      snapshot.credits === undefined
        ? null
        : {
            has_credits: snapshot.credits.hasCredits,
            unlimited: snapshot.credits.unlimited,
            balance: snapshot.credits.balance ?? null,
          },
    limit_name: snapshot.limitName ?? null,
  };
}

/**
 * When and how long to wait before sending a request again. The default policy of
 * `createHttpClient` is "no retries"; callers opt in per request.
 */
export interface RetryPolicy {
  /** Extra attempts after the first send (0 = never retry). */
  maxRetries: number;
  /** Delay before the first retry, before jitter. Doubles each retry. Default 200 ms (upstream). */
  baseDelayMs?: number;
  /** Upper bound of any one delay, `Retry-After` included. Default 30 s. */
  maxDelayMs?: number;
  /** Statuses worth another try. Default: every 5xx (upstream never retries 429/401/4xx). */
  retryOnStatus?: (status: number) => boolean;
  /** Retry timeouts and network failures. Default true. */
  retryOnNetworkError?: boolean;
  /** Wait what a `Retry-After` header asks (capped by `maxDelayMs`). Default true. */
  honorRetryAfter?: boolean;
}

/** Status predicate of the default policy: server errors only. */
export const isServerError = (status: number): boolean => status >= 500 && status <= 599;

/**
 * Upstream's backoff: `base * 2^(attempt-1) * jitter`, jitter uniform in [0.9, 1.1), capped.
 * `attempt` counts retries from 1. Pure: randomness is injected.
 *
 * @example
 * ```ts
 * backoffDelayMs(3, { baseDelayMs: 200 }, () => 0.5); // 800
 * ```
 */
export function backoffDelayMs(
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number = Math.random,
): number {
  const base = policy.baseDelayMs ?? 200;
  const max = policy.maxDelayMs ?? 30_000;
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const jitter = 0.9 + random() * 0.2;
  return Math.min(max, Math.round(base * 2 ** exponent * jitter));
}

/**
 * Parses a `Retry-After` header (delta seconds or an HTTP date) into milliseconds from `now`.
 * Returns `undefined` for a missing or unparseable value; a date in the past gives 0.
 */
export function parseRetryAfterMs(
  header: string | null | undefined,
  now: Date = new Date(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

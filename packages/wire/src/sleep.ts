/**
 * Waits `ms` milliseconds on the global timer (so a test clock that fakes `setTimeout` drives
 * it). An aborted `signal` ends the wait at once and rejects with `signal.reason`, unlike
 * `node:timers/promises`, which replaces the reason with its own `AbortError`: callers map the
 * reason they gave (a timeout, a user cancel) to their own error.
 *
 * @example
 * ```ts
 * await sleep(250, request.signal); // a retry backoff that a cancel cuts short
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A signal that aborts with a `TimeoutError` after `ms`, like `AbortSignal.timeout(ms)`, but on the
 * global timer functions, so an injected or fake clock drives it too (Node's own
 * `AbortSignal.timeout` runs on an internal timer no test clock can advance). Unref'd: it never
 * keeps the process alive.
 */
export function timeoutSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
  }, ms);
  (timer as { unref?: () => void }).unref?.();
  return controller.signal;
}

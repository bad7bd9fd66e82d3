/** Every failure code a `@codex/rollout` API can report. Switch on `code`, never on the message. */
export type RolloutErrorCode =
  | "invalid_argument"
  | "invalid_line"
  | "file_not_found"
  | "empty_file"
  | "missing_thread_id"
  | "io_error"
  | "recorder_closed"
  | "recorder_failed"
  | "invalid_cursor"
  | "thread_not_found"
  | "already_exists"
  | "trace_io"
  | "trace_replay";

/**
 * The one error class of `@codex/rollout`.
 *
 * @example
 * ```ts
 * try { await loadRolloutItems(path); } catch (e) {
 *   if (e instanceof RolloutError && e.code === "file_not_found") { ... }
 * }
 * ```
 */
export class RolloutError extends Error {
  /** Machine-readable failure code. */
  readonly code: RolloutErrorCode;

  constructor(code: RolloutErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RolloutError";
    this.code = code;
  }
}

/** Why a thread-engine call failed. */
export type ThreadEngineErrorCode =
  /** A caller-supplied value is unusable (empty input, bad cwd, unknown input type). */
  | "invalid_argument"
  /** No thread with that id is loaded (startTurn, interruptTurn) or stored (resumeThread). */
  | "thread_not_found"
  /** No running turn with that id on the thread. */
  | "turn_not_found"
  /** The thread already runs a turn. */
  | "turn_in_progress"
  /** The rollout could not be created, read or written. */
  | "rollout_failed"
  /** The engine was closed. */
  | "closed";

/**
 * The one error of the thread engine. Messages never contain a token or key.
 *
 * @example
 * ```ts
 * try { await engine.startTurn(id, input, sink); }
 * catch (e) { if (ThreadEngineError.is(e) && e.code === "thread_not_found") ... }
 * ```
 */
export class ThreadEngineError extends Error {
  override readonly name = "ThreadEngineError";
  readonly code: ThreadEngineErrorCode;

  constructor(code: ThreadEngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** True for a ThreadEngineError (also from another installed copy). */
  static is(value: unknown): value is ThreadEngineError {
    return (
      value instanceof ThreadEngineError ||
      (value instanceof Error &&
        value.name === "ThreadEngineError" &&
        typeof (value as { code?: unknown }).code === "string")
    );
  }
}

import { startRolloutTraceFromEnv, type TraceWriter } from "@codex/rollout";
import type { Logger } from "@codex/wire";

/** How a turn ended, as the rollout trace names it. */
export type TracedTurnStatus = "completed" | "failed" | "cancelled";

/**
 * A thread's rollout trace (`CODEX_ROLLOUT_TRACE_ROOT`), or none. Tracing never fails the
 * engine: a writer error is logged (start) or ignored (events).
 */
export class ThreadTrace {
  private constructor(
    readonly threadId: string,
    readonly writer: TraceWriter | null,
  ) {}

  /** Starts the trace of `threadId` when the environment asks for one (`thread_started`). */
  static start(threadId: string, env: NodeJS.ProcessEnv, logger: Logger): ThreadTrace {
    try {
      const writer = startRolloutTraceFromEnv(threadId, { env });
      writer?.append({
        type: "thread_started",
        thread_id: threadId,
        agent_path: "/root",
        metadata_payload: null,
      });
      return new ThreadTrace(threadId, writer);
    } catch (error) {
      logger.warn("could not start the rollout trace", {
        error: error instanceof Error ? error.message : "unknown",
      });
      return new ThreadTrace(threadId, null);
    }
  }

  /** A trace that records nothing. */
  static none(threadId: string): ThreadTrace {
    return new ThreadTrace(threadId, null);
  }

  turnStarted(turnId: string): void {
    this.append({ type: "codex_turn_started", codex_turn_id: turnId, thread_id: this.threadId });
  }

  turnEnded(turnId: string, status: TracedTurnStatus): void {
    this.append({ type: "codex_turn_ended", codex_turn_id: turnId, status });
  }

  /** Ends the thread and the rollout in the trace and closes it. */
  close(): void {
    if (this.writer === null) return;
    try {
      this.writer.append({ type: "thread_ended", thread_id: this.threadId, status: "completed" });
      this.writer.append({ type: "rollout_ended", status: "completed" });
      this.writer.close();
    } catch {
      // Tracing never fails the engine.
    }
  }

  private append(event: Parameters<TraceWriter["append"]>[0]): void {
    try {
      this.writer?.append(event);
    } catch {
      // Tracing never fails a turn.
    }
  }
}

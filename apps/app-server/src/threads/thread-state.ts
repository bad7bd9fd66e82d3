import type { RegisteredAgentTask } from "@codex/login";
import type { ModelClient } from "@codex/model-client";
import type { RolloutRecorder } from "@codex/rollout";
import type { JsonObject } from "@codex/wire";
import type { ThreadView } from "./engine-thread.js";
import { ThreadEngineError } from "./thread-engine-error.js";
import type { ThreadTrace } from "./thread-trace.js";
import type { TokenUsageTotals } from "./token-usage.js";

/** The turn a thread runs. */
export interface RunningTurn {
  readonly id: string;
  readonly controller: AbortController;
  /** Resolves once the stream stopped (before `turn/completed` of an interrupt). */
  readonly stopped: Promise<void>;
  /** Resolves once `turn/completed` was sent and the thread is idle again. */
  done: Promise<void>;
}

/** A loaded thread: its rollout, model client, history and running turn. */
export interface ThreadState {
  readonly id: string;
  readonly cwd: string;
  readonly model: string;
  readonly createdAt: number;
  readonly recorder: RolloutRecorder;
  readonly client: ModelClient;
  readonly installationId: string;
  readonly trace: ThreadTrace;
  readonly historyInitialization: "new" | "resumed";
  readonly historyMode: "legacy" | "paginated";
  history: JsonObject[];
  preview: string;
  updatedAt: number;
  turnCount: number;
  /** The thread's token usage so far (a resumed thread's from its rollout). */
  tokenUsage: TokenUsageTotals | undefined;
  agentTask: RegisteredAgentTask | undefined;
  running: RunningTurn | undefined;
}

/** The {@link ThreadView} of a thread (what its `thread/start` result shows). */
export function threadView(thread: ThreadState): ThreadView {
  return {
    id: thread.id,
    cwd: thread.cwd,
    model: thread.model,
    createdAt: thread.createdAt,
    updatedAt: thread.updatedAt,
    preview: thread.preview,
    path: thread.recorder.path,
    historyMode: thread.historyMode,
  };
}

/** The engine's loaded threads by id; lookups refuse with typed errors. */
export class ThreadRegistry<T extends { readonly id: string }> {
  private readonly threads = new Map<string, T>();

  add(thread: T): void {
    this.threads.set(thread.id, thread);
  }

  /** The loaded thread `threadId`, or undefined. */
  find(threadId: string): T | undefined {
    return this.threads.get(threadId);
  }

  /** The loaded thread `threadId`. @throws {ThreadEngineError} `invalid_argument`, `thread_not_found`. */
  get(threadId: unknown): T {
    if (typeof threadId !== "string") {
      throw new ThreadEngineError("invalid_argument", "threadId must be a string");
    }
    const thread = this.threads.get(threadId);
    if (thread === undefined) {
      throw new ThreadEngineError("thread_not_found", `thread not found: ${threadId}`);
    }
    return thread;
  }

  /** Every loaded thread. */
  all(): T[] {
    return [...this.threads.values()];
  }

  clear(): void {
    this.threads.clear();
  }
}

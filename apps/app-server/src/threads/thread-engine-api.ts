import type { ServerNotification } from "@codex/app-server-protocol";
import type { CodexConfig } from "@codex/config";
import type { AuthManager } from "@codex/login";
import type { AttestationProvider } from "@codex/model-client";
import type { Logger } from "@codex/wire";
import type { ThreadSessionSource, ThreadStartResult } from "./engine-thread.js";
import type { StartThreadParams } from "./new-thread.js";
import type { EngineTurn } from "./thread-items.js";
import type { TurnHooks } from "./turn-launch.js";

/** The upstream release whose thread and turn shapes the engine reproduces. */
export const UPSTREAM_CLI_VERSION = "0.169.0";

/** Options of {@link createThreadEngine}. */
export interface ThreadEngineOptions {
  /** The loaded config (`@codex/config`'s `CodexConfig`). */
  readonly config: CodexConfig;
  /** The login; external tokens and their refresher are set on it by the app. */
  readonly auth: AuthManager;
  /** `originator` header and rollout originator (`clientInfo.name`, or `codex_exec`). */
  readonly originator: string;
  /** Full `User-Agent` of model requests. */
  readonly userAgent: string;
  /** Session source of the threads. */
  readonly sessionSource: ThreadSessionSource;
  /** Host attestation (`attestation/generate`), for connections that asked for it. */
  readonly attestation?: AttestationProvider | undefined;
  readonly logger?: Logger | undefined;
  /** Environment of provider keys and `CODEX_ROLLOUT_TRACE_ROOT` (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly now?: (() => Date) | undefined;
  /**
   * Base instructions sent as `instructions` with every model request and recorded as the
   * rollout's `base_instructions` (default none: the request carries no instructions).
   */
  readonly baseInstructions?: string | undefined;
  /** Version recorded in rollouts and shown as `thread.cliVersion` (default `0.169.0`). */
  readonly cliVersion?: string | undefined;
}

/** Receives a turn's notifications, in order. */
export type TurnNotificationSink = (notification: ServerNotification) => void;

/** The thread/turn engine behind `thread/start`, `turn/start`, `turn/interrupt` and `codex exec`. */
export interface ThreadEngine {
  /** Creates a thread and its rollout file. */
  startThread(params?: StartThreadParams): Promise<ThreadStartResult>;
  /** Loads a stored thread (ours or upstream's rollout) to continue it. */
  resumeThread(threadId: string): Promise<ThreadStartResult>;
  /**
   * Starts a turn; resolves at once with the in-progress turn, notifications follow (after the
   * caller's next macrotask, so a `turn/start` answer goes out first). `input` is the protocol's
   * `UserInput[]`.
   */
  startTurn(
    threadId: string,
    input: unknown,
    sink: TurnNotificationSink,
    hooks?: TurnHooks,
  ): Promise<EngineTurn>;
  /** Stops a running turn's stream; resolves before its `turn/completed` is sent. */
  interruptTurn(threadId: string, turnId: string): Promise<void>;
  /** Resolves when the thread's running turn (if any) has sent `turn/completed`. */
  waitForIdle(threadId: string): Promise<void>;
  /** Cancels every turn, flushes and closes every rollout. Idempotent. */
  close(): Promise<void>;
}

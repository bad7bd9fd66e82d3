import { resolve as resolvePath } from "node:path";
import type { ServerNotification } from "@codex/app-server-protocol";
import type { CodexConfig } from "@codex/config";
import type { AuthManager, RegisteredAgentTask } from "@codex/login";
import {
  type AttestationProvider,
  ModelClient,
  type ModelProviderInfo,
  type SessionSource as ModelSessionSource,
  modelAuthFromLogin,
  rolloutInferenceTrace,
  type TokenUsage,
} from "@codex/model-client";
import {
  findThreadPathById,
  InferenceTraceContext,
  loadRolloutItems,
  type RolloutItem,
  RolloutRecorder,
  responseHistory,
  startRolloutTraceFromEnv,
  type TraceWriter,
} from "@codex/rollout";
import { type JsonObject, type Logger, parseRfc3339, silentLogger } from "@codex/wire";
import { agentIdentityHostAllowed, ensureThreadAgentTask } from "./agent-identity-gate.js";
import { loadInstallationId } from "./installation-id.js";
import { historyInput, lastTurnModel } from "./rollout-items.js";
import { ThreadEngineError } from "./thread-engine-error.js";
import { type EngineTurn, inProgressTurn, type TurnNotification } from "./thread-items.js";
import { turnMetadataJson } from "./turn-metadata.js";
import { runTurn } from "./turn-runner.js";
import { prepareUserInput } from "./user-input.js";
import { uuidV7 } from "./uuid-v7.js";

/** The model a thread uses when neither the request nor `config.model` names one. */
export const DEFAULT_THREAD_MODEL = "gpt-5.5";
/** The upstream release whose thread and turn shapes the engine reproduces. */
export const UPSTREAM_CLI_VERSION = "0.169.0";

/** Where threads come from (rollout `source`, `thread.source`, the model client's headers). */
export type ThreadSessionSource = "cli" | "vscode" | "exec" | "mcp" | "unknown";

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

/** `thread/start` params the engine uses. */
export interface StartThreadParams {
  readonly cwd?: string | null | undefined;
  readonly model?: string | null | undefined;
}

/** An environment of a thread (0.169: the local one). */
export type ThreadEnvironment = {
  readonly environmentId: string;
  readonly cwd: string;
  readonly runtimeWorkspaceRoots: string[];
};

/**
 * A thread as 0.169 returns it in `thread/start` and `thread/started`: the same keys in the same
 * order as the real app-server sent them (captured from `codex app-server` 0.169.0).
 */
export type EngineThread = {
  readonly id: string;
  readonly environments: ThreadEnvironment[];
  readonly extra: null;
  readonly sessionId: string;
  readonly forkedFromId: string | null;
  readonly attachedToThreadId: null;
  readonly parentThreadId: null;
  readonly preview: string;
  readonly ephemeral: boolean;
  readonly section: null;
  readonly sectionEnteredAt: null;
  readonly projectId: null;
  /** Files this engine creates are legacy (no `ordinal`); resumed ones keep their mode. */
  readonly historyMode: "legacy" | "paginated";
  readonly modelProvider: string;
  readonly model: string;
  readonly reasoningEffort: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly recencyAt: number;
  readonly status: { readonly type: "idle" };
  readonly path: string;
  readonly cwd: string;
  readonly cliVersion: string;
  readonly originator: string;
  readonly source: "cli" | "vscode" | "exec" | "unknown";
  readonly canAcceptDirectInput: boolean;
  readonly threadSource: null;
  readonly agentNickname: null;
  readonly agentRole: null;
  readonly gitInfo: null;
  readonly name: null;
  readonly daybreakEnabled: null;
  readonly turns: EngineTurn[];
};

/** The `thread/start` result (and `resumeThread`'s), keys as 0.169 sends them. */
export type ThreadStartResult = {
  readonly thread: EngineThread;
  readonly model: string;
  readonly modelProvider: string;
  readonly serviceTier: string | null;
  readonly disabledPluginIds: string[];
  readonly cwd: string;
  readonly runtimeWorkspaceRoots: string[];
  readonly instructionSources: string[];
  readonly approvalPolicy: "on-request";
  readonly approvalsReviewer: "user";
  readonly sandbox: { readonly type: "readOnly"; readonly networkAccess: false };
  readonly activePermissionProfile: { readonly id: string; readonly extends: null };
  readonly reasoningEffort: string | null;
  readonly multiAgentMode: "explicitRequestOnly";
};

/** Optional per-turn callbacks (e.g. `codex exec` reports token usage). */
export interface TurnHooks {
  /** Told the token usage of each completed model response of the turn. */
  readonly onTokenUsage?: ((usage: TokenUsage) => void) | undefined;
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

interface RunningTurn {
  readonly id: string;
  readonly controller: AbortController;
  readonly stopped: Promise<void>;
  done: Promise<void>;
}

interface ThreadState {
  readonly id: string;
  readonly cwd: string;
  readonly model: string;
  readonly createdAt: number;
  readonly recorder: RolloutRecorder;
  readonly client: ModelClient;
  readonly installationId: string;
  readonly trace: TraceWriter | null;
  readonly historyInitialization: "new" | "resumed";
  readonly historyMode: "legacy" | "paginated";
  history: JsonObject[];
  preview: string;
  updatedAt: number;
  turnCount: number;
  agentTask: RegisteredAgentTask | undefined;
  running: RunningTurn | undefined;
}

function threadSourceOf(source: ThreadSessionSource): EngineThread["source"] {
  return source === "mcp" ? "unknown" : source;
}

/** The `thread/started` notification of a started (or resumed) thread. */
export function threadStartedNotification(result: ThreadStartResult): ServerNotification {
  const notification: ServerNotification = {
    method: "thread/started",
    params: { thread: result.thread },
  };
  return notification;
}

/**
 * Creates the thread engine: one `ModelClient` and one rollout per thread, turns streamed with
 * 0.169's notifications, interrupts through an AbortSignal, agent identity per config.
 *
 * @example
 * ```ts
 * const engine = createThreadEngine({ config, auth, originator: "codex_vscode", userAgent, sessionSource: "vscode" });
 * const { thread } = await engine.startThread({});
 * await engine.startTurn(thread.id, [{ type: "text", text: "hi" }], (n) => peer.notify(n.method, n.params));
 * ```
 */
export function createThreadEngine(options: ThreadEngineOptions): ThreadEngine {
  const { config, auth } = options;
  const logger = options.logger ?? silentLogger;
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const nowMs = () => now().getTime();
  const cliVersion = options.cliVersion ?? UPSTREAM_CLI_VERSION;
  const threads = new Map<string, ThreadState>();
  let closed = false;
  let installationId: Promise<string> | undefined;
  const hostAllowed = agentIdentityHostAllowed(
    config.chatgptBaseUrl,
    config.agentIdentityAllowedHosts,
  );
  syncChatgptBackend(auth, config);

  const checkOpen = () => {
    if (closed) throw new ThreadEngineError("closed", "the thread engine is closed");
  };

  const result = (thread: ThreadState): ThreadStartResult => ({
    thread: {
      id: thread.id,
      environments: [
        { environmentId: "local", cwd: thread.cwd, runtimeWorkspaceRoots: [thread.cwd] },
      ],
      extra: null,
      sessionId: thread.id,
      forkedFromId: null,
      attachedToThreadId: null,
      parentThreadId: null,
      preview: thread.preview,
      ephemeral: false,
      section: null,
      sectionEnteredAt: null,
      projectId: null,
      historyMode: thread.historyMode,
      modelProvider: config.modelProviderId,
      model: thread.model,
      reasoningEffort: config.modelReasoningEffort ?? null,
      createdAt: thread.createdAt,
      updatedAt: thread.updatedAt,
      recencyAt: thread.updatedAt,
      status: { type: "idle" },
      path: thread.recorder.path,
      cwd: thread.cwd,
      cliVersion,
      originator: options.originator,
      source: threadSourceOf(options.sessionSource),
      canAcceptDirectInput: true,
      threadSource: null,
      agentNickname: null,
      agentRole: null,
      gitInfo: null,
      name: null,
      daybreakEnabled: null,
      turns: [],
    },
    model: thread.model,
    modelProvider: config.modelProviderId,
    serviceTier: null,
    disabledPluginIds: [],
    cwd: thread.cwd,
    runtimeWorkspaceRoots: [thread.cwd],
    instructionSources: [],
    approvalPolicy: "on-request",
    approvalsReviewer: "user",
    sandbox: { type: "readOnly", networkAccess: false },
    activePermissionProfile: { id: ":read-only", extends: null },
    reasoningEffort: config.modelReasoningEffort ?? null,
    multiAgentMode: "explicitRequestOnly",
  });

  const newClient = async (
    threadId: string,
  ): Promise<{ client: ModelClient; installationId: string }> => {
    installationId ??= loadInstallationId(config.codexHome);
    const installation = await installationId;
    const source: ModelSessionSource = { kind: options.sessionSource };
    const client = new ModelClient({
      provider: providerInfo(config.modelProvider),
      sessionId: threadId,
      threadId,
      installationId: installation,
      auth: modelAuthFromLogin(auth),
      sessionSource: source,
      ...(options.attestation === undefined ? {} : { attestationProvider: options.attestation }),
      attestationBudgetMs: config.attestationTimeoutMs,
      chatgptBaseUrl: config.chatgptBaseUrl,
      clientVersion: cliVersion,
      originator: options.originator,
      userAgent: options.userAgent,
      env,
      logger,
    });
    return { client, installationId: installation };
  };

  const startTrace = (threadId: string): TraceWriter | null => {
    try {
      const writer = startRolloutTraceFromEnv(threadId, { env });
      writer?.append({
        type: "thread_started",
        thread_id: threadId,
        agent_path: "/root",
        metadata_payload: null,
      });
      return writer;
    } catch (error) {
      logger.warn("could not start the rollout trace", {
        error: error instanceof Error ? error.message : "unknown",
      });
      return null;
    }
  };

  const getThread = (threadId: string): ThreadState => {
    if (typeof threadId !== "string") {
      throw new ThreadEngineError("invalid_argument", "threadId must be a string");
    }
    const thread = threads.get(threadId);
    if (thread === undefined) {
      throw new ThreadEngineError("thread_not_found", `thread not found: ${threadId}`);
    }
    return thread;
  };

  const record = async (thread: ThreadState, items: readonly RolloutItem[]) => {
    try {
      await thread.recorder.recordItems([...items]);
    } catch (error) {
      logger.warn("could not record rollout items", {
        threadId: thread.id,
        error: error instanceof Error ? error.message : "unknown",
      });
    }
  };

  const finishThread = async (thread: ThreadState) => {
    const running = thread.running;
    if (running !== undefined) {
      running.controller.abort(new ThreadEngineError("closed", "the thread engine is closed"));
      await running.done;
    }
    try {
      await thread.recorder.shutdown();
    } catch (error) {
      logger.warn("could not flush the rollout", {
        threadId: thread.id,
        error: error instanceof Error ? error.message : "unknown",
      });
    }
    thread.client.close();
    if (thread.trace !== null) {
      try {
        thread.trace.append({ type: "thread_ended", thread_id: thread.id, status: "completed" });
        thread.trace.append({ type: "rollout_ended", status: "completed" });
        thread.trace.close();
      } catch {
        // Tracing never fails the engine.
      }
    }
  };

  return {
    async startThread(params: StartThreadParams = {}): Promise<ThreadStartResult> {
      checkOpen();
      if (params === null || typeof params !== "object") {
        throw new ThreadEngineError("invalid_argument", "thread/start params must be an object");
      }
      const cwd = resolvePath(
        typeof params.cwd === "string" && params.cwd !== "" ? params.cwd : process.cwd(),
      );
      const model =
        typeof params.model === "string" && params.model !== ""
          ? params.model
          : (config.model ?? DEFAULT_THREAD_MODEL);
      const createdMs = nowMs();
      const threadId = uuidV7(createdMs);
      let recorder: RolloutRecorder;
      try {
        recorder = RolloutRecorder.create({
          codexHome: config.codexHome,
          threadId,
          cwd,
          originator: options.originator,
          cliVersion,
          source: options.sessionSource,
          modelProvider: config.modelProviderId,
          baseInstructions: options.baseInstructions ?? null,
          now: nowMs,
          logger,
        });
        await recorder.persist();
      } catch (cause) {
        throw new ThreadEngineError(
          "rollout_failed",
          "could not create the thread's rollout file",
          { cause },
        );
      }
      const createdAt = Math.floor(createdMs / 1000);
      const thread: ThreadState = {
        id: threadId,
        cwd,
        model,
        createdAt,
        recorder,
        ...(await newClient(threadId)),
        trace: startTrace(threadId),
        historyInitialization: "new",
        historyMode: "legacy",
        history: [],
        preview: "",
        updatedAt: createdAt,
        turnCount: 0,
        agentTask: undefined,
        running: undefined,
      };
      threads.set(threadId, thread);
      return result(thread);
    },

    async resumeThread(threadId: string): Promise<ThreadStartResult> {
      checkOpen();
      if (typeof threadId !== "string" || threadId.trim() === "") {
        throw new ThreadEngineError("invalid_argument", "threadId must be a non-empty string");
      }
      const loadedThread = threads.get(threadId);
      if (loadedThread !== undefined) return result(loadedThread);
      let path: string | null;
      try {
        path = await findThreadPathById(config.codexHome, threadId);
      } catch (cause) {
        throw new ThreadEngineError("thread_not_found", `thread not found: ${threadId}`, { cause });
      }
      if (path === null)
        throw new ThreadEngineError("thread_not_found", `thread not found: ${threadId}`);
      let recorder: RolloutRecorder;
      let loaded: Awaited<ReturnType<typeof loadRolloutItems>>;
      try {
        loaded = await loadRolloutItems(path, { logger });
        recorder = await RolloutRecorder.resume({ path, now: nowMs, logger });
      } catch (cause) {
        throw new ThreadEngineError("rollout_failed", "could not read the thread's rollout file", {
          cause,
        });
      }
      const meta = loaded.sessionMeta;
      let createdAt = Math.floor(nowMs() / 1000);
      const metaTime = meta?.timestamp === undefined ? undefined : parseRfc3339(meta.timestamp);
      if (metaTime !== undefined) createdAt = metaTime.seconds;
      let preview = "";
      for (const line of loaded.items) {
        if (line.type === "event_msg" && line.payload.type === "user_message") {
          preview = line.payload.message;
          break;
        }
      }
      const thread: ThreadState = {
        id: threadId,
        cwd: meta?.cwd ?? process.cwd(),
        model: config.model ?? lastTurnModel(loaded.items) ?? DEFAULT_THREAD_MODEL,
        createdAt,
        recorder,
        ...(await newClient(threadId)),
        trace: startTrace(threadId),
        historyInitialization: "resumed",
        historyMode: meta?.history_mode === "paginated" ? "paginated" : "legacy",
        history: historyInput(responseHistory(loaded.items)),
        preview,
        updatedAt: Math.floor(nowMs() / 1000),
        turnCount: 0,
        agentTask: undefined,
        running: undefined,
      };
      threads.set(threadId, thread);
      return result(thread);
    },

    async startTurn(
      threadId: string,
      input: unknown,
      sink: TurnNotificationSink,
      hooks: TurnHooks = {},
    ): Promise<EngineTurn> {
      checkOpen();
      const thread = getThread(threadId);
      if (typeof sink !== "function") {
        throw new ThreadEngineError("invalid_argument", "sink must be a function");
      }
      if (thread.running !== undefined) {
        throw new ThreadEngineError("turn_in_progress", "the thread already runs a turn");
      }
      const prepared = prepareUserInput(input);
      const turnId = uuidV7(nowMs());
      const controller = new AbortController();
      let markStopped: () => void = () => {};
      const running: RunningTurn = {
        id: turnId,
        controller,
        stopped: new Promise<void>((resolve) => {
          markStopped = resolve;
        }),
        done: Promise.resolve(),
      };
      thread.running = running;
      const windowNumber = thread.turnCount;
      thread.turnCount++;
      const emit = (notification: TurnNotification) => {
        try {
          sink(notification);
        } catch (error) {
          logger.warn("turn notification sink threw", {
            method: notification.method,
            error: error instanceof Error ? error.message : "unknown",
          });
        }
      };
      const traceContext =
        thread.trace === null
          ? undefined
          : InferenceTraceContext.enabled(
              thread.trace,
              thread.id,
              turnId,
              thread.model,
              config.modelProvider.name,
              { logger },
            );
      running.done = (async () => {
        // The `turn/start` answer goes out before the turn's first notification.
        await new Promise<void>((resolve) => setImmediate(resolve));
        thread.trace?.append({
          type: "codex_turn_started",
          codex_turn_id: turnId,
          thread_id: thread.id,
        });
        const outcome = await runTurn({
          threadId: thread.id,
          turnId,
          input: prepared,
          history: thread.history,
          client: thread.client,
          model: thread.model,
          reasoningEffort: config.modelReasoningEffort,
          turnMetadata: (startedAtMs) =>
            turnMetadataJson({
              installationId: thread.installationId,
              threadId: thread.id,
              turnId,
              rootTurnId: turnId,
              windowNumber,
              historyInitialization: thread.historyInitialization,
              turnStartedAtUnixMs: startedAtMs,
              model: thread.model,
            }),
          trace: traceContext === undefined ? undefined : rolloutInferenceTrace(traceContext),
          signal: controller.signal,
          nowMs,
          logger,
          beforeModel: async () => {
            if (!config.features.useAgentIdentity) return;
            thread.agentTask = await ensureThreadAgentTask(auth, thread.agentTask, hostAllowed);
          },
          record: (items) => record(thread, items),
          emit,
          onStopped: () => markStopped(),
          instructions: options.baseInstructions,
          onTokenUsage: hooks.onTokenUsage,
        }).catch((error: unknown) => {
          logger.error("turn runner failed", {
            error: error instanceof Error ? error.message : "unknown",
          });
          return undefined;
        });
        if (outcome !== undefined) {
          thread.history = [...thread.history, ...outcome.historyItems];
          if (thread.preview === "") thread.preview = outcome.preview;
          const status =
            outcome.status === "completed"
              ? "completed"
              : outcome.status === "failed"
                ? "failed"
                : "cancelled";
          try {
            thread.trace?.append({ type: "codex_turn_ended", codex_turn_id: turnId, status });
          } catch {
            // Tracing never fails a turn.
          }
        }
        thread.updatedAt = Math.floor(nowMs() / 1000);
        thread.running = undefined;
        markStopped();
      })();
      return inProgressTurn(turnId);
    },

    async interruptTurn(threadId: string, turnId: string): Promise<void> {
      const thread = getThread(threadId);
      const running = thread.running;
      if (running === undefined || running.id !== turnId) {
        throw new ThreadEngineError(
          "turn_not_found",
          `no running turn ${String(turnId)} on thread ${threadId}`,
        );
      }
      running.controller.abort(new ThreadEngineError("closed", "the turn was interrupted"));
      await running.stopped;
    },

    async waitForIdle(threadId: string): Promise<void> {
      const thread = getThread(threadId);
      await thread.running?.done;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([...threads.values()].map((thread) => finishThread(thread)));
      threads.clear();
    },
  };
}

/** The model client's view of a configured provider (`wireApi` is always `responses`). */
function providerInfo(provider: CodexConfig["modelProvider"]): ModelProviderInfo {
  const { wireApi: _wireApi, ...info } = provider;
  return info;
}

/**
 * Points the login's ChatGPT backend settings at the config (base URL, `use_agent_identity`,
 * `agent_identity_allowed_hosts`) when they differ, so the Authorization decision and the agent
 * identity use the same backend as the turns.
 */
function syncChatgptBackend(auth: AuthManager, config: CodexConfig): void {
  const current = auth.chatgptBackend;
  const mode = config.features.useAgentIdentity ? "enabled" : "disabled";
  const hosts = config.agentIdentityAllowedHosts;
  const sameHosts =
    (current.extraAllowedHosts ?? []).length === hosts.length &&
    hosts.every((h, i) => current.extraAllowedHosts?.[i] === h);
  if (
    current.baseUrl === config.chatgptBaseUrl &&
    (current.mode ?? "disabled") === mode &&
    sameHosts
  ) {
    return;
  }
  auth.setChatgptBackend({ baseUrl: config.chatgptBaseUrl, mode, extraAllowedHosts: [...hosts] });
}

import type { RolloutItem } from "@codex/rollout";
import { silentLogger } from "@codex/wire";
import { agentIdentityHostAllowed } from "./agent-identity-gate.js";
import { syncChatgptBackend } from "./chatgpt-backend-sync.js";
import { type EngineFacts, type ThreadStartResult, threadStartResult } from "./engine-thread.js";
import {
  createThreadRollout,
  DEFAULT_THREAD_MODEL,
  newThreadSettings,
  type StartThreadParams,
} from "./new-thread.js";
import { sessionSourceProfile } from "./session-source-profile.js";
import { openStoredThread } from "./stored-thread.js";
import {
  type ThreadEngine,
  type ThreadEngineOptions,
  type TurnNotificationSink,
  UPSTREAM_CLI_VERSION,
} from "./thread-engine-api.js";
import { ThreadEngineError } from "./thread-engine-error.js";
import type { EngineTurn, TurnNotification } from "./thread-items.js";
import { threadModelClientFactory } from "./thread-model-client.js";
import { ThreadRegistry, type ThreadState, threadView } from "./thread-state.js";
import { ThreadTrace } from "./thread-trace.js";
import { launchTurn, type TurnHooks } from "./turn-launch.js";
import { prepareUserInput } from "./user-input.js";
import { uuidV7 } from "./uuid-v7.js";

export type {
  EngineThread,
  ThreadEnvironment,
  ThreadSessionSource,
  ThreadStartResult,
} from "./engine-thread.js";
export { threadStartedNotification } from "./engine-thread.js";
export { DEFAULT_THREAD_MODEL, type StartThreadParams } from "./new-thread.js";
export type {
  ThreadEngine,
  ThreadEngineOptions,
  TurnNotificationSink,
} from "./thread-engine-api.js";
export { UPSTREAM_CLI_VERSION } from "./thread-engine-api.js";
export type { TurnHooks } from "./turn-launch.js";

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
  const profile = sessionSourceProfile(options.sessionSource);
  const threads = new ThreadRegistry<ThreadState>();
  let closed = false;
  syncChatgptBackend(auth, config);
  const newClient = threadModelClientFactory({ ...options, cliVersion, env, logger });
  const facts: EngineFacts = {
    modelProvider: config.modelProviderId,
    reasoningEffort: config.modelReasoningEffort ?? null,
    cliVersion,
    originator: options.originator,
    sessionSource: options.sessionSource,
  };
  const result = (thread: ThreadState) => threadStartResult(threadView(thread), facts);

  const checkOpen = () => {
    if (closed) throw new ThreadEngineError("closed", "the thread engine is closed");
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

  const turnOptions = {
    config,
    auth,
    agentIdentityHostAllowed: agentIdentityHostAllowed(
      config.chatgptBaseUrl,
      config.agentIdentityAllowedHosts,
    ),
    profile,
    baseInstructions: options.baseInstructions,
    nowMs,
    logger,
    record,
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
    thread.trace.close();
  };

  return {
    async startThread(params: StartThreadParams = {}): Promise<ThreadStartResult> {
      checkOpen();
      const { cwd, model } = newThreadSettings(params, config.model);
      const createdMs = nowMs();
      const threadId = uuidV7(createdMs);
      const recorder = await createThreadRollout({
        codexHome: config.codexHome,
        threadId,
        cwd,
        originator: options.originator,
        cliVersion,
        source: options.sessionSource,
        threadSource: profile.threadSource,
        modelProvider: config.modelProviderId,
        baseInstructions: options.baseInstructions ?? null,
        nowMs,
        logger,
      });
      const createdAt = Math.floor(createdMs / 1000);
      const thread: ThreadState = {
        id: threadId,
        cwd,
        model,
        createdAt,
        recorder,
        ...(await newClient(threadId)),
        trace: ThreadTrace.start(threadId, env, logger),
        historyInitialization: "new",
        historyMode: "legacy",
        history: [],
        preview: "",
        updatedAt: createdAt,
        turnCount: 0,
        tokenUsage: undefined,
        agentTask: undefined,
        running: undefined,
      };
      threads.add(thread);
      return result(thread);
    },

    async resumeThread(threadId: string): Promise<ThreadStartResult> {
      checkOpen();
      if (typeof threadId !== "string" || threadId.trim() === "") {
        throw new ThreadEngineError("invalid_argument", "threadId must be a non-empty string");
      }
      const loaded = threads.find(threadId);
      if (loaded !== undefined) return result(loaded);
      const { recorder, facts: stored } = await openStoredThread(
        config.codexHome,
        threadId,
        nowMs,
        logger,
      );
      const nowSeconds = Math.floor(nowMs() / 1000);
      const thread: ThreadState = {
        id: threadId,
        cwd: stored.cwd ?? process.cwd(),
        model: config.model ?? stored.lastModel ?? DEFAULT_THREAD_MODEL,
        createdAt: stored.createdAt ?? nowSeconds,
        recorder,
        ...(await newClient(threadId)),
        trace: ThreadTrace.start(threadId, env, logger),
        historyInitialization: "resumed",
        historyMode: stored.historyMode,
        history: stored.history,
        preview: stored.preview,
        updatedAt: nowSeconds,
        turnCount: 0,
        tokenUsage: stored.tokenUsage,
        agentTask: undefined,
        running: undefined,
      };
      threads.add(thread);
      return result(thread);
    },

    async startTurn(
      threadId: string,
      input: unknown,
      sink: TurnNotificationSink,
      hooks: TurnHooks = {},
    ): Promise<EngineTurn> {
      checkOpen();
      const thread = threads.get(threadId);
      if (typeof sink !== "function") {
        throw new ThreadEngineError("invalid_argument", "sink must be a function");
      }
      if (thread.running !== undefined) {
        throw new ThreadEngineError("turn_in_progress", "the thread already runs a turn");
      }
      const prepared = prepareUserInput(input);
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
      return launchTurn(thread, prepared, emit, hooks, turnOptions);
    },

    async interruptTurn(threadId: string, turnId: string): Promise<void> {
      const thread = threads.get(threadId);
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
      await threads.get(threadId).running?.done;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all(threads.all().map((thread) => finishThread(thread)));
      threads.clear();
    },
  };
}

import type { CodexConfig } from "@codex/config";
import type { AuthManager } from "@codex/login";
import { rolloutInferenceTrace } from "@codex/model-client";
import { InferenceTraceContext, type RolloutItem } from "@codex/rollout";
import type { JsonObject, Logger } from "@codex/wire";
import { ensureThreadAgentTask } from "./agent-identity-gate.js";
import type { SessionSourceProfile } from "./session-source-profile.js";
import type { EngineTurn, TurnNotification } from "./thread-items.js";
import { inProgressTurn } from "./thread-items.js";
import type { RunningTurn, ThreadState } from "./thread-state.js";
import type { TokenUsageStep } from "./token-usage.js";
import { turnContextItem } from "./turn-context-item.js";
import { turnMetadataJson } from "./turn-metadata.js";
import { runTurn, type TurnOutcome } from "./turn-runner.js";
import type { PreparedInput } from "./user-input.js";
import { uuidV7 } from "./uuid-v7.js";

/** Optional per-turn callbacks (e.g. `codex exec` reports token usage). */
export interface TurnHooks {
  /**
   * A JSON Schema the turn's final message must follow (`text.format`, strict): `codex exec
   * --output-schema`, `turn/start`'s `outputSchema`.
   */
  readonly outputSchema?: JsonObject | undefined;
  /**
   * Told each response's usage within its turn and thread (the thread's total goes on from a
   * resumed rollout's last `token_count`), after it is recorded.
   */
  readonly onTokenUsageStep?: ((step: TokenUsageStep) => void) | undefined;
}

/** What every turn of an engine shares. */
export interface TurnLaunchOptions {
  readonly config: CodexConfig;
  readonly auth: AuthManager;
  /** Whether `chatgpt_base_url` may receive agent assertions. */
  readonly agentIdentityHostAllowed: boolean;
  readonly profile: SessionSourceProfile;
  readonly baseInstructions: string | undefined;
  readonly nowMs: () => number;
  readonly logger: Logger;
  /** Records rollout items of `thread` (never rejects). */
  readonly record: (thread: ThreadState, items: readonly RolloutItem[]) => Promise<void>;
}

function tracedStatus(status: TurnOutcome["status"]): "completed" | "failed" | "cancelled" {
  return status === "completed" ? "completed" : status === "failed" ? "failed" : "cancelled";
}

/**
 * Starts a turn on an idle thread and returns its in-progress turn at once; the turn runs on the
 * next macrotask (so the caller's `turn/start` answer goes out first) and leaves the thread idle,
 * its history, preview and token usage updated, when `turn/completed` was sent.
 */
export function launchTurn(
  thread: ThreadState,
  input: PreparedInput,
  emit: (notification: TurnNotification) => void,
  hooks: TurnHooks,
  options: TurnLaunchOptions,
): EngineTurn {
  const { config, logger, nowMs } = options;
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
  const traceContext =
    thread.trace.writer === null
      ? undefined
      : InferenceTraceContext.enabled(
          thread.trace.writer,
          thread.id,
          turnId,
          thread.model,
          config.modelProvider.name,
          { logger },
        );
  running.done = (async () => {
    // The `turn/start` answer goes out before the turn's first notification.
    await new Promise<void>((resolve) => setImmediate(resolve));
    thread.trace.turnStarted(turnId);
    const outcome = await runTurn({
      threadId: thread.id,
      turnId,
      input,
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
          threadSource: options.profile.threadSource,
          turnTrigger: options.profile.turnTrigger,
        }),
      trace: traceContext === undefined ? undefined : rolloutInferenceTrace(traceContext),
      signal: controller.signal,
      nowMs,
      logger,
      beforeModel: async () => {
        if (!config.features.useAgentIdentity) return;
        thread.agentTask = await ensureThreadAgentTask(
          options.auth,
          thread.agentTask,
          options.agentIdentityHostAllowed,
        );
      },
      record: (items) => options.record(thread, items),
      emit,
      onStopped: () => markStopped(),
      instructions: options.baseInstructions,
      onTokenUsageStep: hooks.onTokenUsageStep,
      outputSchema: hooks.outputSchema,
      turnContext: turnContextItem({
        turnId,
        cwd: thread.cwd,
        model: thread.model,
        reasoningEffort: config.modelReasoningEffort,
        approvalPolicy: options.profile.approvalPolicy,
      }),
      tokenUsage: thread.tokenUsage,
    }).catch((error: unknown) => {
      logger.error("turn runner failed", {
        error: error instanceof Error ? error.message : "unknown",
      });
      return undefined;
    });
    if (outcome !== undefined) {
      thread.history = [...thread.history, ...outcome.historyItems];
      if (thread.preview === "") thread.preview = outcome.preview;
      if (outcome.tokenUsage !== undefined) thread.tokenUsage = outcome.tokenUsage;
      thread.trace.turnEnded(turnId, tracedStatus(outcome.status));
    }
    thread.updatedAt = Math.floor(nowMs() / 1000);
    thread.running = undefined;
    markStopped();
  })();
  return inProgressTurn(turnId);
}

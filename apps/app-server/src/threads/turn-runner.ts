import type {
  InferenceTrace,
  Prompt,
  ResponseEvent,
  StreamOptions,
  TurnOptions,
} from "@codex/model-client";
import type { RolloutItem } from "@codex/rollout";
import type { JsonObject, Logger } from "@codex/wire";
import { AgentMessageStream } from "./agent-message-stream.js";
import {
  taskCompleteItem,
  taskStartedItem,
  turnAbortedItem,
  userMessageItems,
} from "./rollout-items.js";
import type { EngineTurnError, EngineTurnStatus, TurnNotification } from "./thread-items.js";
import { type TokenUsageStep, type TokenUsageTotals, tokenUsageItems } from "./token-usage.js";
import { TokenUsageMeter } from "./token-usage-meter.js";
import { turnErrorOf } from "./turn-error.js";
import {
  startedTurn,
  turnCompletedNotification,
  userMessageNotifications,
} from "./turn-notifications.js";
import type { PreparedInput } from "./user-input.js";

/** What a turn uses of the model client (`ModelClient` has this shape). */
export interface TurnModelClient {
  newSession(): {
    stream(
      prompt: Prompt,
      turn: TurnOptions,
      options?: StreamOptions,
    ): AsyncIterable<ResponseEvent>;
    close(): void;
  };
}

/** What one turn needs from its thread. */
export interface TurnContext {
  readonly threadId: string;
  readonly turnId: string;
  readonly input: PreparedInput;
  readonly history: readonly JsonObject[];
  readonly client: TurnModelClient;
  readonly model: string;
  readonly reasoningEffort: string | undefined;
  readonly turnMetadata: (startedAtMs: number) => string;
  readonly trace: InferenceTrace | undefined;
  readonly signal: AbortSignal;
  readonly nowMs: () => number;
  readonly logger: Logger;
  /** Runs before the model call (agent task registration); a throw fails the turn. */
  readonly beforeModel: () => Promise<void>;
  readonly record: (items: readonly RolloutItem[]) => Promise<void>;
  readonly emit: (notification: TurnNotification) => void;
  /** Called once the stream stopped for an interrupt, before `turn/completed` is sent. */
  readonly onStopped: () => void;
  /** Base instructions sent with every request (omitted when undefined). */
  readonly instructions?: string | undefined;
  /** The turn's `turn_context` line, recorded after `task_started` (none when undefined). */
  readonly turnContext?: RolloutItem | undefined;
  /** The thread's token usage before this turn (a resumed thread's from its rollout). */
  readonly tokenUsage?: TokenUsageTotals | undefined;
  /** A JSON Schema the final message must follow (sent as `text.format`, strict). */
  readonly outputSchema?: JsonObject | undefined;
  /** Told each response's usage within the thread (after it is recorded as `token_count`). */
  readonly onTokenUsageStep?: ((step: TokenUsageStep) => void) | undefined;
}

/** How a turn ended, for the thread's history and the trace. */
export interface TurnOutcome {
  readonly status: Exclude<EngineTurnStatus, "inProgress">;
  /** Model input to append to the thread's history (the user message and the replies). */
  readonly historyItems: readonly JsonObject[];
  readonly preview: string;
  /** The thread's token usage after the turn (undefined while no response reported any). */
  readonly tokenUsage?: TokenUsageTotals | undefined;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

function callHook(hook: () => void): void {
  try {
    hook();
  } catch {
    // A caller's hook never fails the turn.
  }
}

/**
 * Runs one turn with 0.169's notification order: `turn/started`; the user message's
 * `item/started` + `item/completed`; the assistant messages ({@link AgentMessageStream}); then
 * `turn/completed` (`itemsView: "summary"`, the agent messages). A failure sends `error` first
 * and completes the turn `failed`; an aborted signal completes it `interrupted`. Every step is
 * recorded in the rollout (`task_started`, `turn_context`, the messages, `token_usage_record` +
 * `token_count` per response with usage, `task_complete` or `turn_aborted`). Never rejects.
 */
export async function runTurn(ctx: TurnContext): Promise<TurnOutcome> {
  const { threadId, turnId } = ctx;
  const startedMs = ctx.nowMs();
  const started = startedTurn(turnId, startedMs);
  ctx.emit({ method: "turn/started", params: { threadId, turn: started } });
  const userDoneMs = ctx.nowMs();
  for (const n of userMessageNotifications(
    threadId,
    turnId,
    ctx.input.items,
    startedMs,
    userDoneMs,
  )) {
    ctx.emit(n);
  }
  await ctx.record([
    taskStartedItem(turnId),
    ...(ctx.turnContext === undefined ? [] : [ctx.turnContext]),
    ...userMessageItems(ctx.input.text),
  ]);

  const messages = new AgentMessageStream({
    threadId,
    turnId,
    nowMs: ctx.nowMs,
    emit: ctx.emit,
    record: ctx.record,
  });
  const usage = new TokenUsageMeter(threadId, turnId, ctx.tokenUsage);
  let status: TurnOutcome["status"] = "completed";
  let error: EngineTurnError | null = null;

  const handle = async (event: ResponseEvent): Promise<void> => {
    switch (event.type) {
      case "completed": {
        const tokenUsage = event.tokenUsage;
        if (tokenUsage === undefined) return;
        const step = usage.add(event.responseId, tokenUsage);
        await ctx.record(tokenUsageItems(step));
        callHook(() => ctx.onTokenUsageStep?.(step));
        return;
      }
      case "rate_limits":
        usage.rateLimitsSeen(event.snapshot);
        return;
      case "reconnecting":
      case "transport_fallback":
        messages.reset();
        return;
      default:
        await messages.handle(event);
    }
  };

  try {
    await ctx.beforeModel();
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const session = ctx.client.newSession();
    try {
      const stream = session.stream(
        {
          input: [...ctx.history, ctx.input.message],
          ...(ctx.instructions === undefined ? {} : { instructions: ctx.instructions }),
        },
        {
          model: ctx.model,
          reasoning: ctx.reasoningEffort === undefined ? null : { effort: ctx.reasoningEffort },
          turnMetadata: ctx.turnMetadata(startedMs),
          ...(ctx.outputSchema === undefined
            ? {}
            : { outputSchema: { schema: ctx.outputSchema, strict: true } }),
        },
        { signal: ctx.signal, ...(ctx.trace === undefined ? {} : { trace: ctx.trace }) },
      );
      for await (const event of stream) await handle(event);
    } finally {
      session.close();
    }
    if (ctx.signal.aborted) status = "interrupted";
  } catch (cause) {
    if (ctx.signal.aborted) {
      status = "interrupted";
    } else {
      status = "failed";
      error = turnErrorOf(cause);
      ctx.logger.warn("turn failed", { threadId, turnId, error: error.message });
    }
  }

  if (status === "interrupted") {
    ctx.onStopped();
    // Let the caller answer `turn/interrupt` before `turn/completed` goes out, as 0.169 does.
    await nextTick();
    await ctx.record([turnAbortedItem(turnId)]);
  } else {
    const last = status === "completed" ? messages.lastText() : null;
    await ctx.record([taskCompleteItem(turnId, last)]);
  }
  if (error !== null) {
    ctx.emit({ method: "error", params: { error, willRetry: false, threadId, turnId } });
  }
  ctx.emit(
    turnCompletedNotification(
      threadId,
      started,
      status,
      messages.items,
      error,
      startedMs,
      ctx.nowMs(),
    ),
  );
  return {
    status,
    historyItems: [ctx.input.message, ...messages.replies],
    preview: ctx.input.text,
    tokenUsage: usage.total,
  };
}

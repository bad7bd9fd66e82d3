import type {
  InferenceTrace,
  Prompt,
  ResponseEvent,
  StreamOptions,
  TokenUsage,
  TurnOptions,
} from "@codex/model-client";
import type { RolloutItem } from "@codex/rollout";
import type { JsonObject, Logger } from "@codex/wire";
import {
  agentMessageItems,
  taskCompleteItem,
  taskStartedItem,
  turnAbortedItem,
  userMessageItems,
} from "./rollout-items.js";
import {
  type AgentMessageItem,
  agentMessageItem,
  type EngineTurn,
  type EngineTurnError,
  type EngineTurnStatus,
  isAssistantMessage,
  messageText,
  type TurnNotification,
  type UserMessageItem,
} from "./thread-items.js";
import { turnErrorOf } from "./turn-error.js";
import type { PreparedInput } from "./user-input.js";
import { uuidV7 } from "./uuid-v7.js";

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
  /** Told the token usage of each completed response. */
  readonly onTokenUsage?: ((usage: TokenUsage) => void) | undefined;
}

/** How a turn ended, for the thread's history and the trace. */
export interface TurnOutcome {
  readonly status: Exclude<EngineTurnStatus, "inProgress">;
  /** Model input to append to the thread's history (the user message and the replies). */
  readonly historyItems: readonly JsonObject[];
  readonly preview: string;
}

interface OpenMessage {
  readonly id: string;
  readonly startedAtMs: number;
  text: string;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs one turn with 0.169's notification order: `turn/started`; the user message's
 * `item/started` + `item/completed`; per assistant message `item/started` (when
 * `output_item.added` announced it, else with its completion), one `item/agentMessage/delta` per
 * text delta of an announced item, `item/completed` with the full text; then `turn/completed`
 * (`itemsView: "summary"`, the agent messages). A failure sends `error` first and completes the
 * turn `failed`; an aborted signal completes it `interrupted`. Every step is recorded in the
 * rollout. Never rejects.
 */
export async function runTurn(ctx: TurnContext): Promise<TurnOutcome> {
  const { threadId, turnId } = ctx;
  const startedMs = ctx.nowMs();
  const startedAt = Math.floor(startedMs / 1000);
  const base: EngineTurn = {
    id: turnId,
    rootTurnId: turnId,
    items: [],
    itemsView: "notLoaded",
    status: "inProgress",
    error: null,
    startedAt,
    completedAt: null,
    durationMs: null,
  };
  ctx.emit({ method: "turn/started", params: { threadId, turn: base } });

  const userItem: UserMessageItem = {
    type: "userMessage",
    id: uuidV7(startedMs),
    clientId: null,
    content: ctx.input.items,
    startedAtMs: startedMs,
    completedAtMs: null,
  };
  ctx.emit({
    method: "item/started",
    params: { item: userItem, threadId, turnId, startedAtMs: startedMs },
  });
  const userDoneMs = ctx.nowMs();
  ctx.emit({
    method: "item/completed",
    params: {
      item: { ...userItem, completedAtMs: userDoneMs },
      threadId,
      turnId,
      contentTokenCount: null,
      completedAtMs: userDoneMs,
    },
  });
  await ctx.record([taskStartedItem(turnId), ...userMessageItems(ctx.input.text)]);

  const agentItems: AgentMessageItem[] = [];
  const replies: JsonObject[] = [];
  let open: OpenMessage | undefined;
  let status: TurnOutcome["status"] = "completed";
  let error: EngineTurnError | null = null;

  const completeMessage = async (item: JsonObject): Promise<void> => {
    const id =
      typeof item.id === "string" && item.id !== "" ? item.id : (open?.id ?? uuidV7(ctx.nowMs()));
    const fromItem = messageText(item);
    const text = fromItem !== "" ? fromItem : open?.id === id ? open.text : "";
    let startedAtMs: number;
    if (open !== undefined && open.id === id) {
      startedAtMs = open.startedAtMs;
    } else {
      startedAtMs = ctx.nowMs();
      ctx.emit({
        method: "item/started",
        params: { item: agentMessageItem(id, "", startedAtMs), threadId, turnId, startedAtMs },
      });
    }
    open = undefined;
    const completedAtMs = ctx.nowMs();
    const done: AgentMessageItem = { ...agentMessageItem(id, text, startedAtMs), completedAtMs };
    agentItems.push(done);
    replies.push({ type: "message", role: "assistant", content: [{ type: "output_text", text }] });
    ctx.emit({
      method: "item/completed",
      params: { item: done, threadId, turnId, contentTokenCount: null, completedAtMs },
    });
    await ctx.record(agentMessageItems(typeof item.id === "string" ? item.id : undefined, text));
  };

  const handle = async (event: ResponseEvent): Promise<void> => {
    switch (event.type) {
      case "output_item_added":
        if (isAssistantMessage(event.item)) {
          const id =
            typeof event.item.id === "string" && event.item.id !== ""
              ? event.item.id
              : uuidV7(ctx.nowMs());
          const startedAtMs = ctx.nowMs();
          open = { id, startedAtMs, text: "" };
          ctx.emit({
            method: "item/started",
            params: { item: agentMessageItem(id, "", startedAtMs), threadId, turnId, startedAtMs },
          });
        }
        return;
      case "output_text_delta":
        if (open !== undefined) {
          open.text += event.delta;
          ctx.emit({
            method: "item/agentMessage/delta",
            params: { threadId, turnId, itemId: open.id, delta: event.delta },
          });
        }
        return;
      case "output_item_done":
        if (isAssistantMessage(event.item)) await completeMessage(event.item);
        return;
      case "completed":
        if (event.tokenUsage !== undefined) {
          try {
            ctx.onTokenUsage?.(event.tokenUsage);
          } catch {
            // A caller's hook never fails the turn.
          }
        }
        return;
      case "reconnecting":
      case "transport_fallback":
        // The request is sent again: partial output since the last `created` is dropped.
        open = undefined;
        return;
      default:
        return;
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
    const last = agentItems.at(-1)?.text ?? null;
    await ctx.record([taskCompleteItem(turnId, status === "completed" ? last : null)]);
  }
  if (error !== null) {
    ctx.emit({ method: "error", params: { error, willRetry: false, threadId, turnId } });
  }
  const endMs = ctx.nowMs();
  ctx.emit({
    method: "turn/completed",
    params: {
      threadId,
      turn: {
        ...base,
        // 0.169 summarises the items of a completed turn only; failed and interrupted turns
        // complete with `items: []`, `itemsView: "notLoaded"`.
        items: status === "completed" ? agentItems : [],
        itemsView: status === "completed" ? "summary" : "notLoaded",
        status,
        error,
        completedAt: Math.floor(endMs / 1000),
        durationMs: Math.max(0, endMs - startedMs),
      },
    },
  });
  return { status, historyItems: [ctx.input.message, ...replies], preview: ctx.input.text };
}

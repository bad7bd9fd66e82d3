/**
 * The app-server protocol notifications (`{method, params}`) a turn of the thread engine sends,
 * read into the few facts `codex exec` prints. Anything unknown or malformed reads as `ignored`.
 */

/** The thread's token counts (`thread/tokenUsage/updated` `tokenUsage.total`). */
export interface TokenTotals {
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly cacheWriteInputTokens: number;
  readonly outputTokens: number;
  readonly reasoningOutputTokens: number;
}

/** A thread item exec shows: agent messages, reasoning summaries. */
export type ShownItem =
  | { readonly kind: "agentMessage"; readonly id: string; readonly text: string }
  | { readonly kind: "reasoning"; readonly id: string; readonly text: string };

/** What one notification means to exec. */
export type TurnEvent =
  | { readonly kind: "turnStarted" }
  | { readonly kind: "itemStarted"; readonly item: ShownItem }
  | { readonly kind: "itemCompleted"; readonly item: ShownItem }
  | { readonly kind: "error"; readonly message: string; readonly willRetry: boolean }
  | { readonly kind: "warning"; readonly message: string }
  | { readonly kind: "tokenUsage"; readonly total: TokenTotals }
  | {
      readonly kind: "turnCompleted";
      readonly status: "completed" | "failed" | "interrupted" | "inProgress";
      /** The failure's message (with its additional details), when the turn failed with one. */
      readonly errorMessage: string | undefined;
      /** The agent messages of the turn, in order. */
      readonly agentMessages: readonly string[];
    }
  | { readonly kind: "ignored" };

/** A protocol notification as the engine's sink receives it. */
export interface RawNotification {
  readonly method: string;
  readonly params?: unknown;
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** `message (details)` when there are details, as 0.169 joins them. */
function withDetails(message: string, details: unknown): string {
  return typeof details === "string" && details !== "" ? `${message} (${details})` : message;
}

function shownItem(value: unknown): ShownItem | undefined {
  if (!isObj(value)) return undefined;
  const id = str(value.id) ?? "";
  if (value.type === "agentMessage") {
    return { kind: "agentMessage", id, text: str(value.text) ?? "" };
  }
  if (value.type === "reasoning") {
    const summary = Array.isArray(value.summary)
      ? value.summary.filter((s) => str(s) !== undefined)
      : [];
    return { kind: "reasoning", id, text: summary.join("\n") };
  }
  return undefined;
}

function turnCompleted(params: Obj): TurnEvent {
  const turn = params.turn;
  if (!isObj(turn)) return { kind: "ignored" };
  const status =
    turn.status === "completed" ||
    turn.status === "failed" ||
    turn.status === "interrupted" ||
    turn.status === "inProgress"
      ? turn.status
      : undefined;
  if (status === undefined) return { kind: "ignored" };
  const error = turn.error;
  const message = isObj(error) ? str(error.message) : undefined;
  const agentMessages: string[] = [];
  if (Array.isArray(turn.items)) {
    for (const item of turn.items) {
      const shown = shownItem(item);
      if (shown?.kind === "agentMessage") agentMessages.push(shown.text);
    }
  }
  return {
    kind: "turnCompleted",
    status,
    errorMessage:
      message === undefined || !isObj(error)
        ? undefined
        : withDetails(message, error.additionalDetails),
    agentMessages,
  };
}

/** Reads one notification. Never throws. */
export function readTurnNotification(notification: RawNotification): TurnEvent {
  const params = isObj(notification.params) ? notification.params : {};
  switch (notification.method) {
    case "turn/started":
      return { kind: "turnStarted" };
    case "item/started":
    case "item/completed": {
      const item = shownItem(params.item);
      if (item === undefined) return { kind: "ignored" };
      return {
        kind: notification.method === "item/started" ? "itemStarted" : "itemCompleted",
        item,
      };
    }
    case "error": {
      const error = params.error;
      if (!isObj(error)) return { kind: "ignored" };
      const message = str(error.message);
      if (message === undefined) return { kind: "ignored" };
      return {
        kind: "error",
        message: withDetails(message, error.additionalDetails),
        willRetry: params.willRetry === true,
      };
    }
    case "warning":
    case "configWarning":
    case "deprecationNotice": {
      const message = str(params.message) ?? str(params.summary);
      if (message === undefined) return { kind: "ignored" };
      return { kind: "warning", message: withDetails(message, params.details) };
    }
    case "thread/tokenUsage/updated": {
      const usage = params.tokenUsage;
      if (!isObj(usage) || !isObj(usage.total)) return { kind: "ignored" };
      const t = usage.total;
      return {
        kind: "tokenUsage",
        total: {
          inputTokens: count(t.inputTokens),
          cachedInputTokens: count(t.cachedInputTokens),
          cacheWriteInputTokens: count(t.cacheWriteInputTokens),
          outputTokens: count(t.outputTokens),
          reasoningOutputTokens: count(t.reasoningOutputTokens),
        },
      };
    }
    case "turn/completed":
      return turnCompleted(params);
    default:
      return { kind: "ignored" };
  }
}

import type {
  AgentMessageItem,
  EngineTurn,
  EngineTurnError,
  EngineTurnStatus,
  TurnNotification,
  UserInputItem,
  UserMessageItem,
} from "./thread-items.js";
import { uuidV7 } from "./uuid-v7.js";

/** A turn's `turn/started` turn: in progress since `startedMs`, nothing loaded. */
export function startedTurn(turnId: string, startedMs: number): EngineTurn {
  return {
    id: turnId,
    rootTurnId: turnId,
    items: [],
    itemsView: "notLoaded",
    status: "inProgress",
    error: null,
    startedAt: Math.floor(startedMs / 1000),
    completedAt: null,
    durationMs: null,
  };
}

/**
 * The user message's `item/started` (at `startedMs`) and `item/completed` (at `completedMs`),
 * as 0.169 sends them right after `turn/started`.
 */
export function userMessageNotifications(
  threadId: string,
  turnId: string,
  content: UserInputItem[],
  startedMs: number,
  completedMs: number,
): TurnNotification[] {
  const item: UserMessageItem = {
    type: "userMessage",
    id: uuidV7(startedMs),
    clientId: null,
    content,
    startedAtMs: startedMs,
    completedAtMs: null,
  };
  return [
    { method: "item/started", params: { item, threadId, turnId, startedAtMs: startedMs } },
    {
      method: "item/completed",
      params: {
        item: { ...item, completedAtMs: completedMs },
        threadId,
        turnId,
        contentTokenCount: null,
        completedAtMs: completedMs,
      },
    },
  ];
}

/**
 * The `turn/completed` of a turn that ended at `endMs`: 0.169 summarises the items of a
 * completed turn only; failed and interrupted turns complete with `items: []`,
 * `itemsView: "notLoaded"`.
 */
export function turnCompletedNotification(
  threadId: string,
  started: EngineTurn,
  status: Exclude<EngineTurnStatus, "inProgress">,
  items: AgentMessageItem[],
  error: EngineTurnError | null,
  startedMs: number,
  endMs: number,
): TurnNotification {
  return {
    method: "turn/completed",
    params: {
      threadId,
      turn: {
        ...started,
        items: status === "completed" ? items : [],
        itemsView: status === "completed" ? "summary" : "notLoaded",
        status,
        error,
        completedAt: Math.floor(endMs / 1000),
        durationMs: Math.max(0, endMs - startedMs),
      },
    },
  };
}

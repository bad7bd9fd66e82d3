import type { ContentItem, ResponseItem, RolloutItem, RolloutLine } from "@codex/rollout";
import type { JsonObject } from "@codex/wire";

/**
 * Rollout lines of a turn, in the legacy layout (no `ordinal`) that upstream 0.169 lists, reads
 * and resumes (see `@codex/rollout`'s `ours-legacy-*` fixtures): `task_started`, the user
 * message as `response_item` + `user_message` event, each assistant message as `response_item` +
 * `agent_message` event, then `task_complete` (or `turn_aborted` on interrupt).
 */
export function taskStartedItem(turnId: string): RolloutItem {
  return {
    type: "event_msg",
    payload: {
      type: "task_started",
      turn_id: turnId,
      model_context_window: null,
      collaboration_mode_kind: "default",
    },
  };
}

/** The user message of a turn (model input and the listing's preview). */
export function userMessageItems(text: string): RolloutItem[] {
  return [
    {
      type: "response_item",
      payload: { type: "message", role: "user", content: [{ type: "input_text", text }] },
    },
    {
      type: "event_msg",
      payload: {
        type: "user_message",
        message: text,
        images: null,
        local_images: [],
        text_elements: [],
      },
    },
  ];
}

/** One assistant message of a turn. */
export function agentMessageItems(id: string | undefined, text: string): RolloutItem[] {
  return [
    {
      type: "response_item",
      payload: {
        type: "message",
        ...(id === undefined ? {} : { id }),
        role: "assistant",
        content: [{ type: "output_text", text }],
      },
    },
    { type: "event_msg", payload: { type: "agent_message", message: text, phase: null } },
  ];
}

/** The end of a completed or failed turn. */
export function taskCompleteItem(turnId: string, lastAgentMessage: string | null): RolloutItem {
  return {
    type: "event_msg",
    payload: { type: "task_complete", turn_id: turnId, last_agent_message: lastAgentMessage },
  };
}

/** The end of an interrupted turn. */
export function turnAbortedItem(turnId: string): RolloutItem {
  return {
    type: "event_msg",
    payload: { type: "turn_aborted", turn_id: turnId, reason: "interrupted" },
  };
}

function contentJson(part: ContentItem): JsonObject | undefined {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return { type: part.type, text: part.text };
    case "input_image":
      return { type: "input_image", image_url: part.image_url };
    default:
      return undefined;
  }
}

/** A stored message as clean Responses input (upstream's bookkeeping keys left out). */
function messageInput(item: ResponseItem): JsonObject | undefined {
  if (item.type !== "message") return undefined;
  if (item.role !== "user" && item.role !== "assistant" && item.role !== "developer") {
    return undefined;
  }
  const content: JsonObject[] = [];
  for (const part of item.content) {
    const json = contentJson(part);
    if (json !== undefined) content.push(json);
  }
  if (content.length === 0) return undefined;
  return { type: "message", role: item.role, content };
}

/**
 * The model input a resumed thread continues from: the messages of its rollout (ours or
 * upstream's), compacted history as the rollout package presents it.
 */
export function historyInput(history: readonly ResponseItem[]): JsonObject[] {
  const out: JsonObject[] = [];
  for (const item of history) {
    const json = messageInput(item);
    if (json !== undefined) out.push(json);
  }
  return out;
}

/** The model of the last `turn_context` of a rollout, if any. */
export function lastTurnModel(lines: readonly RolloutLine[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line?.type === "turn_context") return line.payload.model;
  }
  return undefined;
}

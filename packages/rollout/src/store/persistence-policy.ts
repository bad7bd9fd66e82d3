import type { JsonObject } from "@codex/wire";
import { truncateMiddle } from "../internal/truncate-middle.js";
import type { EventMsg } from "../schema/event-msg.js";
import type { RolloutItem } from "../schema/rollout-line.js";

/** Which harness events are persisted: `limited` (default) or `extended`. */
export type EventPersistenceMode = "limited" | "extended";

/** Byte cap of `exec_command_end.aggregated_output` in extended mode. */
export const PERSISTED_EXEC_AGGREGATED_OUTPUT_MAX_BYTES = 10_000;

const LIMITED_EVENTS: ReadonlySet<string> = new Set([
  "user_message",
  "injected_message",
  "agent_message",
  "agent_reasoning",
  "agent_reasoning_raw_content",
  "token_count",
  "thread_name_updated",
  "context_compacted",
  "entered_review_mode",
  "exited_review_mode",
  "thread_rolled_back",
  "undo_completed",
  "turn_aborted",
  "task_started",
  "task_complete",
  "image_generation_end",
]);

const EXTENDED_EVENTS: ReadonlySet<string> = new Set([
  "error",
  "guardian_assessment",
  "web_search_end",
  "exec_command_end",
  "patch_apply_end",
  "mcp_tool_call_end",
  "view_image_tool_call",
  "collab_agent_spawn_end",
  "collab_agent_interaction_end",
  "collab_waiting_end",
  "collab_close_end",
  "collab_resume_end",
  "dynamic_tool_call_request",
  "dynamic_tool_call_response",
]);

function isPlanItemCompleted(e: EventMsg): boolean {
  return e.type === "item_completed" && e.item.type === "Plan";
}

/** Whether an event is persisted under `mode`. */
export function isPersistedEventMsg(e: EventMsg, mode: EventPersistenceMode): boolean {
  if (LIMITED_EVENTS.has(e.type)) return true;
  // An event type this version does not know was persisted by the (newer) writer that made it.
  if (e.type === "unknown") return true;
  if (e.type === "item_completed") return isPlanItemCompleted(e);
  return mode === "extended" && EXTENDED_EVENTS.has(e.type);
}

/**
 * `is_persisted_response_item`: meta, turn context and compacted lines always; every response
 * item except `Other`; events per {@link isPersistedEventMsg}.
 */
export function isPersistedRolloutItem(item: RolloutItem, mode: EventPersistenceMode): boolean {
  switch (item.type) {
    case "session_meta":
    case "turn_context":
    case "compacted":
      return true;
    case "response_item":
      return item.payload.type !== "other";
    case "event_msg":
      return isPersistedEventMsg(item.payload, mode);
    case "world_state":
    case "token_usage_record":
    case "unknown":
      // Written by a newer upstream, which already decided to persist them.
      return true;
  }
}

/**
 * Applies the persistence policy to a batch: drops what is not persisted and, in extended mode,
 * trims `exec_command_end` (aggregated output middle-truncated; stdout, stderr and
 * formatted output emptied). Input items are not mutated.
 */
export function filterPersistedItems(
  items: readonly RolloutItem[],
  mode: EventPersistenceMode,
): RolloutItem[] {
  const out: RolloutItem[] = [];
  for (const item of items) {
    if (!isPersistedRolloutItem(item, mode)) continue;
    if (
      item.type === "event_msg" &&
      "fields" in item.payload &&
      item.payload.type === "exec_command_end"
    ) {
      const f: JsonObject = { ...item.payload.fields };
      if (typeof f.aggregated_output === "string") {
        f.aggregated_output = truncateMiddle(
          f.aggregated_output,
          PERSISTED_EXEC_AGGREGATED_OUTPUT_MAX_BYTES,
        );
      }
      f.stdout = "";
      f.stderr = "";
      f.formatted_output = "";
      out.push({ type: "event_msg", payload: { type: "exec_command_end", fields: f } });
      continue;
    }
    out.push(item);
  }
  return out;
}

import {
  asJsonObject,
  fail,
  isObject,
  nullableString,
  oneOf,
  optInteger,
  optString,
  reqInteger,
  reqString,
  stringArray,
} from "../internal/json.js";
import type { JsonObject, JsonValue } from "../json-value.js";

/** Harness event tags carried as untyped JSON fields (everything not modelled in detail). */
export type OtherEventMsgType =
  | "error"
  | "warning"
  | "realtime_conversation_started"
  | "realtime_conversation_realtime"
  | "realtime_conversation_closed"
  | "model_reroute"
  | "agent_message_delta"
  | "agent_reasoning_delta"
  | "agent_reasoning_raw_content_delta"
  | "agent_reasoning_section_break"
  | "session_configured"
  | "mcp_startup_update"
  | "mcp_startup_complete"
  | "mcp_tool_call_begin"
  | "mcp_tool_call_end"
  | "web_search_begin"
  | "web_search_end"
  | "image_generation_begin"
  | "exec_command_begin"
  | "exec_command_output_delta"
  | "terminal_interaction"
  | "exec_command_end"
  | "view_image_tool_call"
  | "exec_approval_request"
  | "request_permissions"
  | "request_user_input"
  | "dynamic_tool_call_request"
  | "dynamic_tool_call_response"
  | "elicitation_request"
  | "apply_patch_approval_request"
  | "deprecation_notice"
  | "background_event"
  | "undo_started"
  | "stream_error"
  | "patch_apply_begin"
  | "patch_apply_end"
  | "turn_diff"
  | "get_history_entry_response"
  | "mcp_list_tools_response"
  | "list_custom_prompts_response"
  | "list_skills_response"
  | "list_remote_skills_response"
  | "remote_skill_downloaded"
  | "skills_update_available"
  | "plan_update"
  | "shutdown_complete"
  | "raw_response_item"
  | "item_started"
  | "hook_started"
  | "hook_completed"
  | "agent_message_content_delta"
  | "plan_delta"
  | "reasoning_content_delta"
  | "reasoning_raw_content_delta"
  | "collab_agent_spawn_begin"
  | "collab_agent_spawn_end"
  | "collab_agent_interaction_begin"
  | "collab_agent_interaction_end"
  | "collab_waiting_begin"
  | "collab_waiting_end"
  | "collab_close_begin"
  | "collab_close_end"
  | "collab_resume_begin"
  | "collab_resume_end"
  | "injected_message"
  | "guardian_assessment";

const OTHER_EVENT_TYPES: ReadonlySet<string> = new Set<OtherEventMsgType>([
  "error",
  "warning",
  "realtime_conversation_started",
  "realtime_conversation_realtime",
  "realtime_conversation_closed",
  "model_reroute",
  "agent_message_delta",
  "agent_reasoning_delta",
  "agent_reasoning_raw_content_delta",
  "agent_reasoning_section_break",
  "session_configured",
  "mcp_startup_update",
  "mcp_startup_complete",
  "mcp_tool_call_begin",
  "mcp_tool_call_end",
  "web_search_begin",
  "web_search_end",
  "image_generation_begin",
  "exec_command_begin",
  "exec_command_output_delta",
  "terminal_interaction",
  "exec_command_end",
  "view_image_tool_call",
  "exec_approval_request",
  "request_permissions",
  "request_user_input",
  "dynamic_tool_call_request",
  "dynamic_tool_call_response",
  "elicitation_request",
  "apply_patch_approval_request",
  "deprecation_notice",
  "background_event",
  "undo_started",
  "stream_error",
  "patch_apply_begin",
  "patch_apply_end",
  "turn_diff",
  "get_history_entry_response",
  "mcp_list_tools_response",
  "list_custom_prompts_response",
  "list_skills_response",
  "list_remote_skills_response",
  "remote_skill_downloaded",
  "skills_update_available",
  "plan_update",
  "shutdown_complete",
  "raw_response_item",
  "item_started",
  "hook_started",
  "hook_completed",
  "agent_message_content_delta",
  "plan_delta",
  "reasoning_content_delta",
  "reasoning_raw_content_delta",
  "collab_agent_spawn_begin",
  "collab_agent_spawn_end",
  "collab_agent_interaction_begin",
  "collab_agent_interaction_end",
  "collab_waiting_begin",
  "collab_waiting_end",
  "collab_close_begin",
  "collab_close_end",
  "collab_resume_begin",
  "collab_resume_end",
  "injected_message",
  "guardian_assessment",
]);

/** Why a turn was aborted (`TurnAbortReason`). */
export type TurnAbortReason = "interrupted" | "replaced" | "review_ended";
/** Collaboration mode of a turn (`ModeKind`). */
export type ModeKind = "plan" | "default";

const TURN_ABORT_REASONS: readonly TurnAbortReason[] = ["interrupted", "replaced", "review_ended"];
const MODE_KINDS: readonly ModeKind[] = ["plan", "default"];

/** Harness event persisted in a rollout (`event_msg` payload), tagged by `type`. */
export type EventMsg =
  | {
      type: "user_message";
      message: string;
      /** Written as `null` when absent. */
      images: string[] | null;
      local_images: string[];
      text_elements: JsonValue[];
    }
  | { type: "agent_message"; message: string; phase: "commentary" | "final_answer" | null }
  | { type: "agent_reasoning"; text: string }
  | { type: "agent_reasoning_raw_content"; text: string }
  | { type: "token_count"; info: JsonObject | null; rate_limits: JsonObject | null }
  | {
      type: "task_started";
      turn_id: string;
      model_context_window: number | null;
      collaboration_mode_kind: ModeKind;
    }
  | { type: "task_complete"; turn_id: string; last_agent_message: string | null }
  | { type: "thread_name_updated"; thread_id: string; thread_name?: string }
  | { type: "thread_rolled_back"; num_turns: number }
  | { type: "context_compacted" }
  | { type: "turn_aborted"; turn_id: string | null; reason: TurnAbortReason }
  | { type: "undo_completed"; success: boolean; message: string | null }
  | {
      type: "image_generation_end";
      call_id: string;
      status: string;
      revised_prompt: string | null;
      result: string;
      saved_path: string | null;
    }
  | { type: "entered_review_mode"; target: JsonObject; user_facing_hint: string | null }
  | { type: "exited_review_mode"; review_output: JsonObject | null }
  | {
      type: "item_completed";
      thread_id: string;
      turn_id: string;
      /** A `TurnItem` (tagged by `type`, e.g. `Plan`); only plan items are persisted. */
      item: JsonObject & { type: string };
    }
  | { type: OtherEventMsgType; fields: JsonObject };

/** An event carried as untyped fields. */
export type OtherEventMsg = Extract<EventMsg, { fields: JsonObject }>;

/** True for events modelled only as `fields`. */
export function isOtherEventMsg(e: EventMsg): e is OtherEventMsg {
  return "fields" in e;
}

function nullableObject(o: Record<string, unknown>, key: string, ctx: string): JsonObject | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (!isObject(v)) fail(`${ctx}: "${key}" must be an object or null`);
  return asJsonObject(v);
}

/**
 * Parses an `event_msg` payload. `turn_started`/`turn_complete` are read as
 * `task_started`/`task_complete`; an unknown `type` is an error (the line is skipped and counted).
 */
export function parseEventMsg(v: unknown): EventMsg {
  if (!isObject(v)) fail("event_msg: payload must be an object");
  const rawType = v.type;
  if (typeof rawType !== "string") fail("event_msg: missing type");
  let t: string = rawType;
  if (t === "turn_started") t = "task_started";
  if (t === "turn_complete") t = "task_complete";
  const ctx = `event_msg.${t}`;
  switch (t) {
    case "user_message":
      return {
        type: "user_message",
        message: reqString(v, "message", ctx),
        images: Array.isArray(v.images) ? stringArray(v.images, `${ctx}.images`) : null,
        local_images: Array.isArray(v.local_images)
          ? stringArray(v.local_images, `${ctx}.local_images`)
          : [],
        text_elements: Array.isArray(v.text_elements) ? (v.text_elements as JsonValue[]) : [],
      };
    case "agent_message": {
      const phase = v.phase;
      if (
        phase !== undefined &&
        phase !== null &&
        phase !== "commentary" &&
        phase !== "final_answer"
      ) {
        fail(`${ctx}: unknown phase`);
      }
      return {
        type: "agent_message",
        message: reqString(v, "message", ctx),
        phase: phase === "commentary" || phase === "final_answer" ? phase : null,
      };
    }
    case "agent_reasoning":
    case "agent_reasoning_raw_content":
      return { type: t, text: reqString(v, "text", ctx) };
    case "token_count":
      return {
        type: "token_count",
        info: nullableObject(v, "info", ctx),
        rate_limits: nullableObject(v, "rate_limits", ctx),
      };
    case "task_started":
      return {
        type: "task_started",
        turn_id: reqString(v, "turn_id", ctx),
        model_context_window: optInteger(v, "model_context_window", ctx) ?? null,
        collaboration_mode_kind:
          v.collaboration_mode_kind === undefined || v.collaboration_mode_kind === null
            ? "default"
            : oneOf(v.collaboration_mode_kind, MODE_KINDS, `${ctx}.collaboration_mode_kind`),
      };
    case "task_complete":
      return {
        type: "task_complete",
        turn_id: reqString(v, "turn_id", ctx),
        last_agent_message: nullableString(v, "last_agent_message", ctx),
      };
    case "thread_name_updated": {
      const out: EventMsg = {
        type: "thread_name_updated",
        thread_id: reqString(v, "thread_id", ctx),
      };
      const name = optString(v, "thread_name", ctx);
      if (name !== undefined) out.thread_name = name;
      return out;
    }
    case "thread_rolled_back":
      return { type: "thread_rolled_back", num_turns: reqInteger(v, "num_turns", ctx) };
    case "context_compacted":
      return { type: "context_compacted" };
    case "turn_aborted":
      return {
        type: "turn_aborted",
        turn_id: nullableString(v, "turn_id", ctx),
        reason: oneOf(v.reason, TURN_ABORT_REASONS, `${ctx}.reason`),
      };
    case "undo_completed": {
      const success = v.success;
      if (typeof success !== "boolean") fail(`${ctx}: "success" must be a boolean`);
      return { type: "undo_completed", success, message: nullableString(v, "message", ctx) };
    }
    case "image_generation_end":
      return {
        type: "image_generation_end",
        call_id: reqString(v, "call_id", ctx),
        status: reqString(v, "status", ctx),
        revised_prompt: nullableString(v, "revised_prompt", ctx),
        result: reqString(v, "result", ctx),
        saved_path: nullableString(v, "saved_path", ctx),
      };
    case "entered_review_mode": {
      if (!isObject(v.target)) fail(`${ctx}: "target" must be an object`);
      return {
        type: "entered_review_mode",
        target: asJsonObject(v.target),
        user_facing_hint: nullableString(v, "user_facing_hint", ctx),
      };
    }
    case "exited_review_mode":
      return { type: "exited_review_mode", review_output: nullableObject(v, "review_output", ctx) };
    case "item_completed": {
      const item = v.item;
      if (!isObject(item) || typeof item.type !== "string") {
        fail(`${ctx}: "item" must be a tagged object`);
      }
      return {
        type: "item_completed",
        thread_id: reqString(v, "thread_id", ctx),
        turn_id: reqString(v, "turn_id", ctx),
        item: asJsonObject(item) as JsonObject & { type: string },
      };
    }
    default: {
      if (!OTHER_EVENT_TYPES.has(t)) fail("event_msg: unknown event type");
      const fields: Record<string, unknown> = { ...v };
      delete fields.type;
      return { type: t as OtherEventMsgType, fields: asJsonObject(fields) };
    }
  }
}

/** Builds the wire object of an `event_msg` payload (optional values written as `null`). */
export function serializeEventMsg(e: EventMsg): JsonObject {
  if ("fields" in e) {
    const o: JsonObject = { type: e.type, ...e.fields };
    o.type = e.type; // the tag wins over a stray "type" among the fields
    return o;
  }
  switch (e.type) {
    case "user_message":
      return {
        type: "user_message",
        message: e.message,
        images: e.images === null ? null : [...e.images],
        local_images: [...e.local_images],
        text_elements: [...e.text_elements],
      };
    case "agent_message":
      return { type: "agent_message", message: e.message, phase: e.phase };
    case "agent_reasoning":
    case "agent_reasoning_raw_content":
      return { type: e.type, text: e.text };
    case "token_count":
      return { type: "token_count", info: e.info, rate_limits: e.rate_limits };
    case "task_started":
      return {
        type: "task_started",
        turn_id: e.turn_id,
        model_context_window: e.model_context_window,
        collaboration_mode_kind: e.collaboration_mode_kind,
      };
    case "task_complete":
      return {
        type: "task_complete",
        turn_id: e.turn_id,
        last_agent_message: e.last_agent_message,
      };
    case "thread_name_updated": {
      const o: JsonObject = { type: "thread_name_updated", thread_id: e.thread_id };
      if (e.thread_name !== undefined) o.thread_name = e.thread_name;
      return o;
    }
    case "thread_rolled_back":
      return { type: "thread_rolled_back", num_turns: e.num_turns };
    case "context_compacted":
      return { type: "context_compacted" };
    case "turn_aborted":
      return { type: "turn_aborted", turn_id: e.turn_id, reason: e.reason };
    case "undo_completed":
      return { type: "undo_completed", success: e.success, message: e.message };
    case "image_generation_end":
      return {
        type: "image_generation_end",
        call_id: e.call_id,
        status: e.status,
        revised_prompt: e.revised_prompt,
        result: e.result,
        saved_path: e.saved_path,
      };
    case "entered_review_mode":
      return {
        type: "entered_review_mode",
        target: e.target,
        user_facing_hint: e.user_facing_hint,
      };
    case "exited_review_mode":
      return { type: "exited_review_mode", review_output: e.review_output };
    case "item_completed":
      return { type: "item_completed", thread_id: e.thread_id, turn_id: e.turn_id, item: e.item };
  }
}

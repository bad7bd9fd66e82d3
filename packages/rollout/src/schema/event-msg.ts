import type { JsonObject } from "@codex/wire";
import { isJsonObject } from "@codex/wire";
import { z } from "zod";
import {
  appendUnknownKeys,
  jsonObject,
  jsonValue,
  keysOf,
  nullable,
  omittable,
  parseWith,
} from "../internal/zod-shape.js";

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
  | "guardian_assessment"
  | "thread_settings_applied";

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
  "thread_settings_applied",
]);

/** Why a turn was aborted (`TurnAbortReason`). */
export const turnAbortReasonSchema = z.enum(["interrupted", "replaced", "review_ended"]);
/** Why a turn was aborted (`TurnAbortReason`). */
export type TurnAbortReason = z.output<typeof turnAbortReasonSchema>;
/** Collaboration mode of a turn (`ModeKind`). */
export const modeKindSchema = z.enum(["plan", "default"]);
/** Collaboration mode of a turn (`ModeKind`). */
export type ModeKind = z.output<typeof modeKindSchema>;

const shapes = {
  user_message: z.looseObject({
    type: z.literal("user_message"),
    message: z.string(),
    /** Written as `null` when absent. */
    images: nullable(z.array(z.string())),
    local_images: z
      .array(z.string())
      .nullish()
      .transform((v) => v ?? []),
    text_elements: z
      .array(jsonValue)
      .nullish()
      .transform((v) => v ?? []),
  }),
  agent_message: z.looseObject({
    type: z.literal("agent_message"),
    message: z.string(),
    phase: nullable(z.enum(["commentary", "final_answer"])),
  }),
  agent_reasoning: z.looseObject({ type: z.literal("agent_reasoning"), text: z.string() }),
  agent_reasoning_raw_content: z.looseObject({
    type: z.literal("agent_reasoning_raw_content"),
    text: z.string(),
  }),
  token_count: z.looseObject({
    type: z.literal("token_count"),
    info: nullable(jsonObject),
    rate_limits: nullable(jsonObject),
  }),
  task_started: z.looseObject({
    type: z.literal("task_started"),
    turn_id: z.string(),
    model_context_window: nullable(z.number().int()),
    collaboration_mode_kind: modeKindSchema.nullish().transform((v) => v ?? "default"),
  }),
  task_complete: z.looseObject({
    type: z.literal("task_complete"),
    turn_id: z.string(),
    last_agent_message: nullable(z.string()),
  }),
  thread_name_updated: z.looseObject({
    type: z.literal("thread_name_updated"),
    thread_id: z.string(),
    thread_name: omittable(z.string()),
  }),
  thread_rolled_back: z.looseObject({
    type: z.literal("thread_rolled_back"),
    num_turns: z.number().int(),
  }),
  context_compacted: z.looseObject({ type: z.literal("context_compacted") }),
  turn_aborted: z.looseObject({
    type: z.literal("turn_aborted"),
    turn_id: nullable(z.string()),
    reason: turnAbortReasonSchema,
  }),
  undo_completed: z.looseObject({
    type: z.literal("undo_completed"),
    success: z.boolean(),
    message: nullable(z.string()),
  }),
  image_generation_end: z.looseObject({
    type: z.literal("image_generation_end"),
    call_id: z.string(),
    status: z.string(),
    revised_prompt: nullable(z.string()),
    result: z.string(),
    saved_path: nullable(z.string()),
  }),
  entered_review_mode: z.looseObject({
    type: z.literal("entered_review_mode"),
    target: jsonObject,
    user_facing_hint: nullable(z.string()),
  }),
  exited_review_mode: z.looseObject({
    type: z.literal("exited_review_mode"),
    review_output: nullable(jsonObject),
  }),
  item_completed: z.looseObject({
    type: z.literal("item_completed"),
    thread_id: z.string(),
    turn_id: z.string(),
    /** A `TurnItem` tagged by `type` (`Plan`, `UserMessage`, `AgentMessage`, …), kept as JSON. */
    item: z.custom<JsonObject & { type: string }>(
      (v) => isJsonObject(v) && typeof v.type === "string",
      "expected a tagged object",
    ),
  }),
};

/** Every event this version models field by field, tagged by `type`. */
export const typedEventMsgSchema = z.discriminatedUnion("type", [
  shapes.user_message,
  shapes.agent_message,
  shapes.agent_reasoning,
  shapes.agent_reasoning_raw_content,
  shapes.token_count,
  shapes.task_started,
  shapes.task_complete,
  shapes.thread_name_updated,
  shapes.thread_rolled_back,
  shapes.context_compacted,
  shapes.turn_aborted,
  shapes.undo_completed,
  shapes.image_generation_end,
  shapes.entered_review_mode,
  shapes.exited_review_mode,
  shapes.item_completed,
]);

/** An event modelled field by field (keys this version does not know are kept). */
export type TypedEventMsg = z.output<typeof typedEventMsgSchema>;

/** A known harness event carried as untyped fields. */
export interface OtherEventMsg {
  type: OtherEventMsgType;
  fields: JsonObject;
}

/**
 * An event type this version does not know (written by a newer upstream): kept whole, never a
 * parse error, and written back unchanged.
 */
export interface UnknownEventMsg {
  type: "unknown";
  /** The `type` it was read with. */
  original_type: string;
  /** Every other key, as read. */
  fields: JsonObject;
}

/** Harness event persisted in a rollout (`event_msg` payload), tagged by `type`. */
export type EventMsg = TypedEventMsg | OtherEventMsg | UnknownEventMsg;

const KNOWN_KEYS: Record<string, ReadonlySet<string>> = Object.fromEntries(
  Object.entries(shapes).map(([k, s]) => [k, keysOf(s.shape)]),
);

/** True for events modelled only as `fields` (known harness events and unknown ones). */
export function isOtherEventMsg(e: EventMsg): e is OtherEventMsg | UnknownEventMsg {
  return e.type === "unknown" || OTHER_EVENT_TYPES.has(e.type);
}

function fieldsOf(v: Record<string, unknown>): JsonObject {
  const fields: Record<string, unknown> = { ...v };
  delete fields.type;
  return fields as JsonObject;
}

/**
 * Parses an `event_msg` payload. `turn_started`/`turn_complete` are read as
 * `task_started`/`task_complete`; an unknown `type` is kept as {@link UnknownEventMsg}.
 * Throws `invalid_line` when a known event breaks its shape.
 */
export function parseEventMsg(v: unknown): EventMsg {
  if (!isJsonObject(v) || typeof v.type !== "string") {
    return parseWith(typedEventMsgSchema, v, "event_msg");
  }
  let value: Record<string, unknown> = v;
  if (v.type === "turn_started") value = { ...v, type: "task_started" };
  else if (v.type === "turn_complete") value = { ...v, type: "task_complete" };
  const t = value.type as string;
  if (KNOWN_KEYS[t] !== undefined) return parseWith(typedEventMsgSchema, value, "event_msg", t);
  // A payload from JSON.parse (or checked after a JSON round trip) is JSON by construction.
  if (OTHER_EVENT_TYPES.has(t)) return { type: t as OtherEventMsgType, fields: fieldsOf(value) };
  return { type: "unknown", original_type: t, fields: fieldsOf(value) };
}

/**
 * Builds the wire object of an `event_msg` payload (optional values written as `null`, unknown
 * keys after the known ones).
 */
export function serializeEventMsg(e: EventMsg): JsonObject {
  if (e.type === "unknown" && "original_type" in e) {
    const o: JsonObject = { type: e.original_type, ...e.fields };
    o.type = e.original_type;
    return o;
  }
  if (isOtherEventMsg(e)) {
    const o: JsonObject = { type: e.type, ...e.fields };
    o.type = e.type; // the tag wins over a stray "type" among the fields
    return o;
  }
  const typed = e as TypedEventMsg;
  const o = serializeTyped(typed);
  const known = KNOWN_KEYS[typed.type];
  if (known !== undefined) appendUnknownKeys(o, typed, known);
  return o;
}

function serializeTyped(e: TypedEventMsg): JsonObject {
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

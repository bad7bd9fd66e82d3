import type { JsonValue } from "@codex/wire";

/** Version of every `trace.jsonl` event. */
export const RAW_TRACE_EVENT_SCHEMA_VERSION = 1;

/** What a raw payload file holds; written as `{"type":"…"}`. */
export type RawPayloadKind = {
  type:
    | "inference_request"
    | "inference_response"
    | "compaction_request"
    | "compaction_checkpoint"
    | "compaction_response"
    | "tool_invocation"
    | "tool_result"
    | "tool_runtime_event"
    | "terminal_runtime_event"
    | "protocol_event"
    | "session_metadata"
    | "agent_result";
};

/** Reference to `payloads/N.json`. */
export interface RawPayloadRef {
  /** `raw_payload:N`. */
  raw_payload_id: string;
  kind: RawPayloadKind;
  /** `payloads/N.json`, relative to the bundle. */
  path: string;
}

/** Status of a rollout or thread. */
export type RolloutStatus = "running" | "completed" | "failed" | "aborted";

/** Status of an execution window (turn, inference, tool call). */
export type ExecutionStatus = "running" | "completed" | "failed" | "cancelled" | "aborted";

/**
 * One `trace.jsonl` event body, tagged by `type`. `null` stands for an absent optional value
 * (always written). The tool variants' fields are this port's own choice (upstream's were not
 * confirmed).
 */
export type RawTraceEventPayload =
  | { type: "rollout_started"; trace_id: string; root_thread_id: string }
  | { type: "rollout_ended"; status: RolloutStatus }
  | {
      type: "thread_started";
      thread_id: string;
      agent_path: string;
      metadata_payload: RawPayloadRef | null;
    }
  | { type: "thread_ended"; thread_id: string; status: RolloutStatus }
  | { type: "codex_turn_started"; codex_turn_id: string; thread_id: string }
  | { type: "codex_turn_ended"; codex_turn_id: string; status: ExecutionStatus }
  | {
      type: "inference_started";
      inference_call_id: string;
      thread_id: string;
      codex_turn_id: string;
      model: string;
      provider_name: string;
      request_payload: RawPayloadRef;
    }
  | {
      type: "inference_completed";
      inference_call_id: string;
      response_id: string | null;
      upstream_request_id: string | null;
      response_payload: RawPayloadRef;
    }
  | {
      type: "inference_failed";
      inference_call_id: string;
      upstream_request_id: string | null;
      error: string;
      partial_response_payload: RawPayloadRef | null;
    }
  | {
      type: "inference_cancelled";
      inference_call_id: string;
      upstream_request_id: string | null;
      reason: string;
      partial_response_payload: RawPayloadRef | null;
    }
  | {
      type: "tool_call_started";
      tool_call_id: string;
      thread_id: string;
      codex_turn_id: string | null;
      tool_name: string;
      invocation_payload: RawPayloadRef | null;
    }
  | {
      type: "tool_call_runtime_started";
      tool_call_id: string;
      runtime_payload: RawPayloadRef | null;
    }
  | {
      type: "tool_call_runtime_ended";
      tool_call_id: string;
      status: ExecutionStatus;
      runtime_payload: RawPayloadRef | null;
    }
  | {
      type: "tool_call_ended";
      tool_call_id: string;
      status: ExecutionStatus;
      result_payload: RawPayloadRef | null;
    }
  | { type: "mcp_tool_call_correlation_assigned"; tool_call_id: string; mcp_call_id: string }
  | {
      type: "agent_result_observed";
      thread_id: string;
      codex_turn_id: string | null;
      result_payload: RawPayloadRef | null;
    }
  | { type: "protocol_event_observed"; event_type: string; event_payload: RawPayloadRef }
  | {
      type: "other";
      kind: string;
      summary: string;
      payloads: RawPayloadRef[];
      metadata: JsonValue;
    };

/** One line of `trace.jsonl`. */
export interface RawTraceEvent {
  schema_version: number;
  /** Contiguous from 1. */
  seq: number;
  wall_time_unix_ms: number;
  rollout_id: string;
  thread_id: string | null;
  codex_turn_id: string | null;
  payload: RawTraceEventPayload;
}

/** `manifest.json` (v1). */
export interface TraceManifest {
  schema_version: 1;
  trace_id: string;
  rollout_id: string;
  root_thread_id: string;
  started_at_unix_ms: number;
  raw_event_log: "trace.jsonl";
  payloads_dir: "payloads";
}

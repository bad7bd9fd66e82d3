import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonObject, JsonValue } from "@codex/wire";
import { requirePath } from "../internal/args.js";
import { RolloutError } from "../rollout-error.js";
import {
  type ConversationItem,
  type ExecutionWindow,
  type InferenceCall,
  type RolloutTrace,
  replayBundle,
  type ToolCall,
} from "./trace-replay.js";
import { REDUCED_STATE_FILE_NAME } from "./trace-writer.js";

function windowJson(w: ExecutionWindow): JsonObject {
  return {
    started_at_unix_ms: w.startedAtUnixMs,
    started_seq: w.startedSeq,
    ended_at_unix_ms: w.endedAtUnixMs,
    ended_seq: w.endedSeq,
    status: w.status,
  };
}

function mapJson<V>(m: Map<string, V>, f: (v: V) => JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of m) out[k] = f(v);
  return out;
}

function inferenceJson(c: InferenceCall): JsonObject {
  return {
    inference_call_id: c.inferenceCallId,
    thread_id: c.threadId,
    codex_turn_id: c.codexTurnId,
    execution: windowJson(c.execution),
    model: c.model,
    provider_name: c.providerName,
    upstream_request_id: c.upstreamRequestId,
    request_item_ids: [...c.requestItemIds],
    response_item_ids: [...c.responseItemIds],
    tool_call_ids_started_by_response: [...c.toolCallIdsStartedByResponse],
    usage: c.usage,
    raw_request_payload_id: c.rawRequestPayloadId,
    raw_response_payload_id: c.rawResponsePayloadId,
  };
}

function conversationJson(c: ConversationItem): JsonObject {
  return {
    conversation_item_id: c.conversationItemId,
    thread_id: c.threadId,
    codex_turn_id: c.codexTurnId,
    inference_call_id: c.inferenceCallId,
    producer: c.producer,
    item: c.item,
  };
}

function toolJson(t: ToolCall): JsonObject {
  return {
    tool_call_id: t.toolCallId,
    thread_id: t.threadId,
    codex_turn_id: t.codexTurnId,
    tool_name: t.toolName,
    mcp_call_id: t.mcpCallId,
    execution: windowJson(t.execution),
    raw_payload_ids: [...t.rawPayloadIds],
  };
}

/** The snake_case JSON form of a reduced trace (maps become objects ordered by key). */
export function reducedTraceToJson(trace: RolloutTrace): JsonObject {
  return {
    schema_version: trace.schemaVersion,
    trace_id: trace.traceId,
    rollout_id: trace.rolloutId,
    started_at_unix_ms: trace.startedAtUnixMs,
    ended_at_unix_ms: trace.endedAtUnixMs,
    status: trace.status,
    root_thread_id: trace.rootThreadId,
    threads: mapJson(trace.threads, (t) => ({
      thread_id: t.threadId,
      agent_path: t.agentPath,
      metadata_payload_id: t.metadataPayloadId,
      execution: windowJson(t.execution),
    })),
    codex_turns: mapJson(trace.codexTurns, (t) => ({
      codex_turn_id: t.codexTurnId,
      thread_id: t.threadId,
      execution: windowJson(t.execution),
    })),
    conversation_items: mapJson(trace.conversationItems, conversationJson),
    inference_calls: mapJson(trace.inferenceCalls, inferenceJson),
    tool_calls: mapJson(trace.toolCalls, toolJson),
    raw_payloads: mapJson(trace.rawPayloads, (r) => ({
      raw_payload_id: r.raw_payload_id,
      kind: { type: r.kind.type },
      path: r.path,
    })),
  } satisfies Record<string, JsonValue>;
}

/**
 * Replays a bundle and writes the reduction to `<bundle>/state.json` (pretty JSON), as
 * `codex debug trace-reduce <bundle>` does. Returns the trace.
 *
 * @example const trace = writeReducedState(bundleDir);
 */
export function writeReducedState(bundleDir: string): RolloutTrace {
  requirePath("bundleDir", bundleDir);
  const trace = replayBundle(bundleDir);
  try {
    writeFileSync(
      join(bundleDir, REDUCED_STATE_FILE_NAME),
      `${JSON.stringify(reducedTraceToJson(trace), null, 2)}\n`,
    );
  } catch (cause) {
    throw new RolloutError("trace_io", "could not write state.json", { cause });
  }
  return trace;
}

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonValue } from "@codex/wire";
import { isJsonObject as isObject } from "@codex/wire";
import { requirePath } from "../internal/args.js";
import { RolloutError } from "../rollout-error.js";
import type {
  ExecutionStatus,
  RawPayloadKind,
  RawPayloadRef,
  RolloutStatus,
} from "./raw-trace-event.js";

/** Version of the reduced {@link RolloutTrace}. */
export const REDUCED_TRACE_SCHEMA_VERSION = 1;

/** Start/end of something that runs. */
export interface ExecutionWindow {
  startedAtUnixMs: number;
  startedSeq: number;
  endedAtUnixMs: number | null;
  endedSeq: number | null;
  status: ExecutionStatus;
}

/** A thread seen in the trace. */
export interface TraceThread {
  threadId: string;
  agentPath: string;
  metadataPayloadId: string | null;
  execution: ExecutionWindow;
}

/** A Codex turn seen in the trace. */
export interface CodexTurn {
  codexTurnId: string;
  threadId: string;
  execution: ExecutionWindow;
}

/** A model-visible item sent in a request or received in a response. */
export interface ConversationItem {
  conversationItemId: string;
  threadId: string;
  codexTurnId: string;
  inferenceCallId: string;
  producer: "request" | "response";
  item: JsonValue;
}

/** One model request. */
export interface InferenceCall {
  inferenceCallId: string;
  threadId: string;
  codexTurnId: string;
  execution: ExecutionWindow;
  model: string;
  providerName: string;
  upstreamRequestId: string | null;
  requestItemIds: string[];
  responseItemIds: string[];
  toolCallIdsStartedByResponse: string[];
  usage: JsonValue;
  rawRequestPayloadId: string;
  rawResponsePayloadId: string | null;
}

/** One tool call. */
export interface ToolCall {
  toolCallId: string;
  threadId: string;
  codexTurnId: string | null;
  toolName: string;
  mcpCallId: string | null;
  execution: ExecutionWindow;
  rawPayloadIds: string[];
}

/** The reduction of a trace bundle. Maps are ordered by key string. */
export interface RolloutTrace {
  schemaVersion: number;
  traceId: string;
  rolloutId: string;
  startedAtUnixMs: number;
  endedAtUnixMs: number | null;
  status: RolloutStatus;
  rootThreadId: string;
  threads: Map<string, TraceThread>;
  codexTurns: Map<string, CodexTurn>;
  conversationItems: Map<string, ConversationItem>;
  inferenceCalls: Map<string, InferenceCall>;
  toolCalls: Map<string, ToolCall>;
  rawPayloads: Map<string, RawPayloadRef>;
}

const PAYLOAD_PATH_RE = /^payloads\/\d+\.json$/;
const EXECUTION: ReadonlySet<string> = new Set([
  "running",
  "completed",
  "failed",
  "cancelled",
  "aborted",
]);
const ROLLOUT: ReadonlySet<string> = new Set(["running", "completed", "failed", "aborted"]);

function replayError(message: string, cause?: unknown): RolloutError {
  return new RolloutError("trace_replay", message, cause === undefined ? undefined : { cause });
}

function asRef(v: unknown): RawPayloadRef | null {
  if (
    isObject(v) &&
    typeof v.raw_payload_id === "string" &&
    typeof v.path === "string" &&
    isObject(v.kind) &&
    typeof v.kind.type === "string"
  ) {
    return {
      raw_payload_id: v.raw_payload_id,
      kind: { type: v.kind.type } as RawPayloadKind,
      path: v.path,
    };
  }
  return null;
}

function str(p: Record<string, unknown>, key: string, line: number): string {
  const v = p[key];
  if (typeof v !== "string")
    throw replayError(`trace.jsonl line ${line}: "${key}" must be a string`);
  return v;
}

function nstr(p: Record<string, unknown>, key: string, line: number): string | null {
  const v = p[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string")
    throw replayError(`trace.jsonl line ${line}: "${key}" must be a string`);
  return v;
}

function window(ms: number, seq: number): ExecutionWindow {
  return {
    startedAtUnixMs: ms,
    startedSeq: seq,
    endedAtUnixMs: null,
    endedSeq: null,
    status: "running",
  };
}

function sorted<V>(m: Map<string, V>): Map<string, V> {
  return new Map([...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/**
 * Reduces a trace bundle to a {@link RolloutTrace}: manifest first, then `trace.jsonl` in order
 * (blank lines skipped; a malformed line is a `trace_replay` error naming its line number).
 * Deterministic and safe to run on a bundle that is still being written.
 *
 * @example
 * ```ts
 * const trace = replayBundle(dir);
 * const call = [...trace.inferenceCalls.values()][0];
 * call?.execution.status; // "cancelled"
 * ```
 */
export function replayBundle(bundleDir: string): RolloutTrace {
  requirePath("bundleDir", bundleDir);
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(bundleDir, "manifest.json"), "utf8"));
  } catch (cause) {
    throw replayError("could not read manifest.json", cause);
  }
  if (!isObject(manifest) || manifest.schema_version !== 1) {
    throw replayError("manifest.json is not a v1 trace manifest");
  }
  const m = manifest;
  const trace: RolloutTrace = {
    schemaVersion: REDUCED_TRACE_SCHEMA_VERSION,
    traceId: str(m, "trace_id", 0),
    rolloutId: str(m, "rollout_id", 0),
    startedAtUnixMs: typeof m.started_at_unix_ms === "number" ? m.started_at_unix_ms : 0,
    endedAtUnixMs: null,
    status: "running",
    rootThreadId: str(m, "root_thread_id", 0),
    threads: new Map(),
    codexTurns: new Map(),
    conversationItems: new Map(),
    inferenceCalls: new Map(),
    toolCalls: new Map(),
    rawPayloads: new Map(),
  };
  let text: string;
  try {
    text = readFileSync(
      join(bundleDir, typeof m.raw_event_log === "string" ? m.raw_event_log : "trace.jsonl"),
      "utf8",
    );
  } catch (cause) {
    throw replayError("could not read trace.jsonl", cause);
  }
  let nextConversationItem = 1;
  const readPayload = (ref: RawPayloadRef, line: number): unknown => {
    if (!PAYLOAD_PATH_RE.test(ref.path))
      throw replayError(`trace.jsonl line ${line}: bad payload path`);
    try {
      return JSON.parse(readFileSync(join(bundleDir, ref.path), "utf8"));
    } catch (cause) {
      throw replayError(
        `trace.jsonl line ${line}: unreadable payload ${ref.raw_payload_id}`,
        cause,
      );
    }
  };
  const addItems = (
    items: unknown,
    call: InferenceCall,
    producer: "request" | "response",
  ): string[] => {
    if (!Array.isArray(items)) return [];
    return items.map((item) => {
      const id = `conversation_item:${nextConversationItem++}`;
      trace.conversationItems.set(id, {
        conversationItemId: id,
        threadId: call.threadId,
        codexTurnId: call.codexTurnId,
        inferenceCallId: call.inferenceCallId,
        producer,
        item: item as JsonValue,
      });
      return id;
    });
  };

  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = (lines[i] as string).trim();
    if (raw === "") continue;
    let ev: unknown;
    try {
      ev = JSON.parse(raw);
    } catch (cause) {
      throw replayError(`trace.jsonl line ${lineNo}: not valid JSON`, cause);
    }
    if (!isObject(ev) || !isObject(ev.payload) || typeof ev.payload.type !== "string") {
      throw replayError(`trace.jsonl line ${lineNo}: not a trace event`);
    }
    const seq = typeof ev.seq === "number" ? ev.seq : 0;
    const at = typeof ev.wall_time_unix_ms === "number" ? ev.wall_time_unix_ms : 0;
    const p = ev.payload;
    for (const v of Object.values(p)) {
      for (const candidate of Array.isArray(v) ? v : [v]) {
        const ref = asRef(candidate);
        if (ref !== null) trace.rawPayloads.set(ref.raw_payload_id, ref);
      }
    }
    const status = (key: string, allowed: ReadonlySet<string>): string => {
      const s = str(p, key, lineNo);
      if (!allowed.has(s)) throw replayError(`trace.jsonl line ${lineNo}: unknown status`);
      return s;
    };
    switch (p.type) {
      case "rollout_started":
        trace.traceId = str(p, "trace_id", lineNo);
        trace.rootThreadId = str(p, "root_thread_id", lineNo);
        break;
      case "rollout_ended":
        trace.status = status("status", ROLLOUT) as RolloutStatus;
        trace.endedAtUnixMs = at;
        break;
      case "thread_started": {
        const id = str(p, "thread_id", lineNo);
        if (trace.threads.has(id))
          throw replayError(`trace.jsonl line ${lineNo}: duplicate thread`);
        trace.threads.set(id, {
          threadId: id,
          agentPath: str(p, "agent_path", lineNo),
          metadataPayloadId: asRef(p.metadata_payload)?.raw_payload_id ?? null,
          execution: window(at, seq),
        });
        break;
      }
      case "thread_ended": {
        const t = trace.threads.get(str(p, "thread_id", lineNo));
        if (t === undefined) throw replayError(`trace.jsonl line ${lineNo}: unknown thread`);
        const s = status("status", ROLLOUT) as ExecutionStatus;
        if (t.execution.status === "running") {
          t.execution = { ...t.execution, endedAtUnixMs: at, endedSeq: seq, status: s };
        }
        break;
      }
      case "codex_turn_started": {
        const id = str(p, "codex_turn_id", lineNo);
        if (trace.codexTurns.has(id))
          throw replayError(`trace.jsonl line ${lineNo}: duplicate turn`);
        trace.codexTurns.set(id, {
          codexTurnId: id,
          threadId: str(p, "thread_id", lineNo),
          execution: window(at, seq),
        });
        break;
      }
      case "codex_turn_ended": {
        const id = str(p, "codex_turn_id", lineNo);
        const turn = trace.codexTurns.get(id);
        if (turn === undefined) throw replayError(`trace.jsonl line ${lineNo}: unknown turn`);
        const s = status("status", EXECUTION) as ExecutionStatus;
        if (turn.execution.status === "running") {
          turn.execution = { ...turn.execution, endedAtUnixMs: at, endedSeq: seq, status: s };
        }
        const closeAs: ExecutionStatus =
          s === "failed" ? "failed" : s === "aborted" ? "aborted" : "cancelled";
        for (const call of trace.inferenceCalls.values()) {
          if (call.codexTurnId === id && call.execution.status === "running") {
            call.execution = {
              ...call.execution,
              endedAtUnixMs: at,
              endedSeq: seq,
              status: closeAs,
            };
          }
        }
        break;
      }
      case "inference_started": {
        const id = str(p, "inference_call_id", lineNo);
        if (trace.inferenceCalls.has(id)) {
          throw replayError(`trace.jsonl line ${lineNo}: duplicate inference call`);
        }
        const turnId = str(p, "codex_turn_id", lineNo);
        const threadId = str(p, "thread_id", lineNo);
        const turn = trace.codexTurns.get(turnId);
        if (turn === undefined) throw replayError(`trace.jsonl line ${lineNo}: unknown codex turn`);
        if (turn.threadId !== threadId) {
          throw replayError(`trace.jsonl line ${lineNo}: codex turn belongs to another thread`);
        }
        const ref = asRef(p.request_payload);
        if (ref === null) throw replayError(`trace.jsonl line ${lineNo}: missing request payload`);
        const call: InferenceCall = {
          inferenceCallId: id,
          threadId,
          codexTurnId: turnId,
          execution: window(at, seq),
          model: str(p, "model", lineNo),
          providerName: str(p, "provider_name", lineNo),
          upstreamRequestId: null,
          requestItemIds: [],
          responseItemIds: [],
          toolCallIdsStartedByResponse: [],
          usage: null,
          rawRequestPayloadId: ref.raw_payload_id,
          rawResponsePayloadId: null,
        };
        const request = readPayload(ref, lineNo);
        call.requestItemIds = addItems(
          isObject(request) ? request.input : undefined,
          call,
          "request",
        );
        trace.inferenceCalls.set(id, call);
        break;
      }
      case "inference_completed":
      case "inference_failed":
      case "inference_cancelled": {
        const call = trace.inferenceCalls.get(str(p, "inference_call_id", lineNo));
        if (call === undefined)
          throw replayError(`trace.jsonl line ${lineNo}: unknown inference call`);
        const s: ExecutionStatus =
          p.type === "inference_completed"
            ? "completed"
            : p.type === "inference_failed"
              ? "failed"
              : "cancelled";
        if (call.execution.status === "running") {
          call.execution = { ...call.execution, endedAtUnixMs: at, endedSeq: seq, status: s };
        }
        const upstream = nstr(p, "upstream_request_id", lineNo);
        if (upstream !== null) call.upstreamRequestId = upstream;
        const ref = asRef(
          p.type === "inference_completed" ? p.response_payload : p.partial_response_payload,
        );
        // Always: the (partial) response replaces what an earlier terminal event recorded.
        call.rawResponsePayloadId = ref?.raw_payload_id ?? null;
        call.responseItemIds = [];
        if (ref !== null) {
          const response = readPayload(ref, lineNo);
          if (isObject(response)) {
            call.responseItemIds = addItems(response.output_items, call, "response");
            if (response.token_usage !== undefined && response.token_usage !== null) {
              call.usage = response.token_usage as JsonValue;
            }
          }
        }
        break;
      }
      case "tool_call_started": {
        const id = str(p, "tool_call_id", lineNo);
        if (trace.toolCalls.has(id))
          throw replayError(`trace.jsonl line ${lineNo}: duplicate tool call`);
        const ref = asRef(p.invocation_payload);
        trace.toolCalls.set(id, {
          toolCallId: id,
          threadId: str(p, "thread_id", lineNo),
          codexTurnId: nstr(p, "codex_turn_id", lineNo),
          toolName: str(p, "tool_name", lineNo),
          mcpCallId: null,
          execution: window(at, seq),
          rawPayloadIds: ref === null ? [] : [ref.raw_payload_id],
        });
        break;
      }
      case "tool_call_runtime_started":
      case "tool_call_runtime_ended":
      case "tool_call_ended":
      case "mcp_tool_call_correlation_assigned": {
        const tool = trace.toolCalls.get(str(p, "tool_call_id", lineNo));
        if (tool === undefined) throw replayError(`trace.jsonl line ${lineNo}: unknown tool call`);
        for (const key of ["runtime_payload", "result_payload"]) {
          const ref = asRef(p[key]);
          if (ref !== null) tool.rawPayloadIds.push(ref.raw_payload_id);
        }
        if (p.type === "mcp_tool_call_correlation_assigned")
          tool.mcpCallId = str(p, "mcp_call_id", lineNo);
        if (p.type === "tool_call_ended" && tool.execution.status === "running") {
          tool.execution = {
            ...tool.execution,
            endedAtUnixMs: at,
            endedSeq: seq,
            status: status("status", EXECUTION) as ExecutionStatus,
          };
        }
        break;
      }
      case "protocol_event_observed":
      case "agent_result_observed":
        break;
      case "other":
        throw replayError(`trace.jsonl line ${lineNo}: "other" events cannot be reduced`);
      default:
        throw replayError(`trace.jsonl line ${lineNo}: unknown event type`);
    }
  }
  trace.threads = sorted(trace.threads);
  trace.codexTurns = sorted(trace.codexTurns);
  trace.conversationItems = sorted(trace.conversationItems);
  trace.inferenceCalls = sorted(trace.inferenceCalls);
  trace.toolCalls = sorted(trace.toolCalls);
  trace.rawPayloads = sorted(trace.rawPayloads);
  return trace;
}

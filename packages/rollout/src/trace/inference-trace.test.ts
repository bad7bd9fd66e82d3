import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@codex/wire";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ExecutionStatus,
  InferenceTraceAttempt,
  InferenceTraceContext,
  RESPONSE_STREAM_DROPPED_REASON,
  type ResponseItem,
  replayBundle,
  TraceWriter,
  X_CODEX_INFERENCE_CALL_ID_HEADER,
} from "../index.js";
import { startedInferenceAttempt as startedAttemptIn } from "../testing/index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rollout-inf-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The seed's `started_inference_attempt`, through the `./testing` helper other packages use. */
function startedInferenceAttempt(): InferenceTraceAttempt {
  return startedAttemptIn(dir).attempt;
}

function outputMessage(id: string, text: string): ResponseItem {
  return { type: "message", id, role: "assistant", content: [{ type: "output_text", text }] };
}

type StreamEvent = { type: "created" } | { type: "output_item_done"; item: ResponseItem };

/**
 * A stand-in for model-client's response mapper: forwards provider events to a consumer and,
 * when the consumer stops pulling before a terminal event, records the attempt as cancelled
 * with the complete output items it has seen (including one it could not deliver).
 */
async function* mapResponseEvents(
  events: Iterable<StreamEvent>,
  attempt: InferenceTraceAttempt,
): AsyncGenerator<StreamEvent> {
  const seen: ResponseItem[] = [];
  let terminal = false;
  try {
    for (const ev of events) {
      if (ev.type === "output_item_done") seen.push(ev.item);
      yield ev;
    }
    terminal = true;
  } finally {
    if (!terminal) attempt.recordCancelled(RESPONSE_STREAM_DROPPED_REASON, null, seen);
  }
}

describe("inference tracing", () => {
  it("dropped response stream traces cancelled partial output", async () => {
    const attempt = startedInferenceAttempt();
    const stream = mapResponseEvents(
      [
        { type: "output_item_done", item: outputMessage("msg-1", "partial answer") },
        { type: "created" },
      ],
      attempt,
    );
    const observed = await stream.next();
    expect(observed.value).toMatchObject({ type: "output_item_done" });
    await stream.return(undefined); // the consumer drops the stream
    const rollout = replayBundle(dir);
    const inference = [...rollout.inferenceCalls.values()][0];
    expect(inference?.execution.status).toBe("cancelled" satisfies ExecutionStatus);
    expect(inference?.responseItemIds).toHaveLength(1);
    expect(rollout.rawPayloads.size).toBe(2);
  });

  it("dropped back-pressured response stream traces cancelled partial output", async () => {
    const attempt = startedInferenceAttempt();
    const events: StreamEvent[] = Array.from({ length: 1600 }, () => ({
      type: "created" as const,
    }));
    events.push({ type: "output_item_done", item: outputMessage("msg-1", "partial answer") });
    const stream = mapResponseEvents(events, attempt);
    // Pull every non-terminal event and the output item, which the consumer never handles.
    for (let i = 0; i < 1601; i++) await stream.next();
    await stream.return(undefined);
    const rollout = replayBundle(dir);
    const inference = [...rollout.inferenceCalls.values()][0];
    expect(inference?.execution.status).toBe("cancelled");
    expect(inference?.responseItemIds).toHaveLength(1);
    expect(rollout.rawPayloads.size).toBe(2);
    const trace = readFileSync(join(dir, "trace.jsonl"), "utf8");
    expect(trace).toContain(RESPONSE_STREAM_DROPPED_REASON);
  });

  it("only the first terminal record counts", () => {
    const attempt = startedInferenceAttempt();
    attempt.recordCancelled("stop", null, []);
    attempt.recordCompleted("resp-1", "req-1", { total_tokens: 3 }, [outputMessage("m", "x")]);
    attempt.recordFailed("boom", null, []);
    const lines = readFileSync(join(dir, "trace.jsonl"), "utf8").trimEnd().split("\n");
    expect(lines.map((l) => JSON.parse(l).payload.type)).toEqual([
      "thread_started",
      "codex_turn_started",
      "inference_started",
      "inference_cancelled",
    ]);
    const cancelled = JSON.parse(lines[3] ?? "");
    expect(cancelled).toMatchObject({
      thread_id: "thread-root",
      codex_turn_id: "turn-1",
      payload: { reason: "stop", upstream_request_id: null, partial_response_payload: null },
    });
    const call = [...replayBundle(dir).inferenceCalls.values()][0];
    expect(call?.responseItemIds).toEqual([]);
    expect(call?.rawResponsePayloadId).toBeNull();
  });

  it("completed attempts record the response payload with reasoning content kept", () => {
    const attempt = startedInferenceAttempt();
    attempt.recordCompleted("resp-1", "req-1", { total_tokens: 3 }, [
      {
        type: "reasoning",
        summary: [],
        content: [{ type: "text", text: "kept" }],
        encrypted_content: null,
      },
      { type: "other", original_type: "x" },
    ]);
    const trace = replayBundle(dir);
    const call = [...trace.inferenceCalls.values()][0];
    expect(call).toMatchObject({
      model: "gpt-test",
      providerName: "test-provider",
      upstreamRequestId: "req-1",
      usage: { total_tokens: 3 },
      rawRequestPayloadId: "raw_payload:1",
      rawResponsePayloadId: "raw_payload:2",
    });
    expect(call?.execution.status).toBe("completed");
    expect(JSON.parse(readFileSync(join(dir, "payloads/2.json"), "utf8"))).toEqual({
      response_id: "resp-1",
      upstream_request_id: "req-1",
      token_usage: { total_tokens: 3 },
      output_items: [
        {
          type: "reasoning",
          summary: [],
          content: [{ type: "text", text: "kept" }],
          encrypted_content: null,
        },
      ],
    });
  });

  it("failed attempts keep partial items", () => {
    const attempt = startedInferenceAttempt();
    attempt.recordFailed("stream error", "req-9", [outputMessage("m", "half")]);
    const call = [...replayBundle(dir).inferenceCalls.values()][0];
    expect(call?.execution.status).toBe("failed");
    expect(call?.upstreamRequestId).toBe("req-9");
    expect(call?.responseItemIds).toHaveLength(1);
  });

  it("sets the inference call id header only when enabled", () => {
    const writer = TraceWriter.create(dir, "t", "r", "th");
    let n = 0;
    const ctx = InferenceTraceContext.enabled(writer, "th", "tu", "m", "p", {
      uuid: () => `id-${++n}`,
    });
    expect(ctx.isEnabled()).toBe(true);
    const a = ctx.startAttempt();
    expect(a.inferenceCallId).toBe("id-1");
    expect(ctx.startAttempt().inferenceCallId).toBe("id-2");
    const h = new Headers();
    a.addRequestHeaders(h);
    expect(h.get(X_CODEX_INFERENCE_CALL_ID_HEADER)).toBe("id-1");
    const rec: Record<string, string> = {};
    InferenceTraceContext.disabled().startAttempt().addRequestHeaders(rec);
    expect(rec).toEqual({});
  });

  it("disabled contexts and attempts do nothing", () => {
    const ctx = InferenceTraceContext.disabled();
    expect(ctx.isEnabled()).toBe(false);
    const a = ctx.startAttempt();
    expect(a.isEnabled()).toBe(false);
    a.recordStarted({});
    a.recordCompleted("r", null, null, []);
    expect(InferenceTraceAttempt.disabled().inferenceCallId).toBeUndefined();
  });

  it("swallows write errors and tells the logger", () => {
    const writer = TraceWriter.create(dir, "t", "r", "th");
    const warnings: unknown[] = [];
    const ctx = InferenceTraceContext.enabled(writer, "th", "tu", "m", "p", {
      logger: { ...silentLogger, warn: (m, f) => warnings.push([m, f]) },
    });
    writer.close();
    const a = ctx.startAttempt();
    expect(() => a.recordStarted({ input: [] })).not.toThrow();
    expect(warnings).toEqual([
      ["trace write failed", { record: "started", error: "RolloutError" }],
    ]);
  });
});

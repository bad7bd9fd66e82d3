import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RawTraceEventPayload, replayBundle, TraceWriter } from "../index.js";

let dir: string;
let w: TraceWriter;
let t: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rollout-replay-"));
  t = 1000;
  w = TraceWriter.create(dir, "trace-1", "rollout-1", "thread-root", { now: () => t++ });
  w.append({
    type: "thread_started",
    thread_id: "thread-root",
    agent_path: "/root",
    metadata_payload: null,
  });
  w.append({ type: "codex_turn_started", codex_turn_id: "turn-1", thread_id: "thread-root" });
});
afterEach(() => {
  w.close();
  rmSync(dir, { recursive: true, force: true });
});

function startInference(id: string, turn = "turn-1", thread = "thread-root"): void {
  const ref = w.writeJsonPayload(
    { type: "inference_request" },
    { input: [{ type: "message" }, { type: "message" }] },
  );
  w.append({
    type: "inference_started",
    inference_call_id: id,
    thread_id: thread,
    codex_turn_id: turn,
    model: "gpt-test",
    provider_name: "p",
    request_payload: ref,
  });
}

describe("replayBundle", () => {
  it("reduces threads, turns, inferences and conversation items", () => {
    startInference("inf-1");
    const resp = w.writeJsonPayload(
      { type: "inference_response" },
      {
        response_id: "r",
        upstream_request_id: null,
        token_usage: null,
        output_items: [{ type: "message" }],
      },
    );
    w.append({
      type: "inference_completed",
      inference_call_id: "inf-1",
      response_id: "r",
      upstream_request_id: "up-1",
      response_payload: resp,
    });
    w.append({ type: "codex_turn_ended", codex_turn_id: "turn-1", status: "completed" });
    w.append({ type: "thread_ended", thread_id: "thread-root", status: "completed" });
    w.append({ type: "rollout_ended", status: "completed" });
    const trace = replayBundle(dir);
    expect(trace).toMatchObject({
      schemaVersion: 1,
      traceId: "trace-1",
      rolloutId: "rollout-1",
      rootThreadId: "thread-root",
      startedAtUnixMs: 1000,
      status: "completed",
      endedAtUnixMs: t - 1,
    });
    const call = trace.inferenceCalls.get("inf-1");
    expect(call).toMatchObject({
      execution: { startedSeq: 3, endedSeq: 4, status: "completed" },
      upstreamRequestId: "up-1",
      requestItemIds: ["conversation_item:1", "conversation_item:2"],
      responseItemIds: ["conversation_item:3"],
      rawRequestPayloadId: "raw_payload:1",
      rawResponsePayloadId: "raw_payload:2",
    });
    expect(trace.conversationItems.get("conversation_item:3")).toMatchObject({
      producer: "response",
      inferenceCallId: "inf-1",
    });
    expect(trace.codexTurns.get("turn-1")?.execution.status).toBe("completed");
    expect(trace.threads.get("thread-root")?.execution.status).toBe("completed");
    // Deterministic and re-runnable.
    expect(replayBundle(dir)).toEqual(trace);
  });

  it.each([
    ["completed", "cancelled"],
    ["cancelled", "cancelled"],
    ["failed", "failed"],
    ["aborted", "aborted"],
  ] as const)("a turn ended %s closes its running inference as %s", (turnStatus, expected) => {
    startInference("inf-1");
    w.append({ type: "codex_turn_ended", codex_turn_id: "turn-1", status: turnStatus });
    // A terminal event after the turn closed keeps the status but records the payload.
    w.append({
      type: "inference_failed",
      inference_call_id: "inf-1",
      upstream_request_id: "late",
      error: "x",
      partial_response_payload: null,
    });
    const call = replayBundle(dir).inferenceCalls.get("inf-1");
    expect(call?.execution.status).toBe(expected);
    expect(call?.upstreamRequestId).toBe("late");
  });

  it("a later terminal event keeps the first status but replaces the response", () => {
    startInference("inf-1");
    const resp = w.writeJsonPayload(
      { type: "inference_response" },
      { output_items: [{ type: "message" }] },
    );
    w.append({
      type: "inference_completed",
      inference_call_id: "inf-1",
      response_id: "r",
      upstream_request_id: null,
      response_payload: resp,
    });
    w.append({
      type: "inference_cancelled",
      inference_call_id: "inf-1",
      upstream_request_id: null,
      reason: "late",
      partial_response_payload: null,
    });
    const call = replayBundle(dir).inferenceCalls.get("inf-1");
    expect(call?.execution.status).toBe("completed");
    expect(call?.execution.endedSeq).toBe(4);
    expect(call?.rawResponsePayloadId).toBeNull();
    expect(call?.responseItemIds).toEqual([]);
  });

  it("orders maps by key string and registers protocol payloads", () => {
    for (let i = 0; i < 10; i++) w.writeJsonPayload({ type: "protocol_event" }, { i });
    for (let i = 1; i <= 10; i++) {
      w.append({
        type: "protocol_event_observed",
        event_type: "x",
        event_payload: {
          raw_payload_id: `raw_payload:${i}`,
          kind: { type: "protocol_event" },
          path: `payloads/${i}.json`,
        },
      });
    }
    w.append({ type: "rollout_started", trace_id: "trace-2", root_thread_id: "thread-x" });
    appendFileSync(join(dir, "trace.jsonl"), "\n   \n");
    const trace = replayBundle(dir);
    expect([...trace.rawPayloads.keys()].slice(0, 3)).toEqual([
      "raw_payload:1",
      "raw_payload:10",
      "raw_payload:2",
    ]);
    expect(trace.traceId).toBe("trace-2");
    expect(trace.rootThreadId).toBe("thread-x");
  });

  const bad: [string, () => void, string][] = [
    [
      "a duplicate inference id",
      () => {
        startInference("i");
        startInference("i");
      },
      "line 4: duplicate inference call",
    ],
    ["an unknown codex turn", () => startInference("i", "turn-9"), "line 3: unknown codex turn"],
    [
      "a turn of another thread",
      () => startInference("i", "turn-1", "thread-2"),
      "line 3: codex turn belongs to another thread",
    ],
    [
      "a terminal event for an unknown call",
      () =>
        w.append({
          type: "inference_cancelled",
          inference_call_id: "nope",
          upstream_request_id: null,
          reason: "r",
          partial_response_payload: null,
        }),
      "line 3: unknown inference call",
    ],
    [
      "an other event",
      () =>
        w.append({
          type: "other",
          kind: "k",
          summary: "s",
          payloads: [],
          metadata: null,
        } as RawTraceEventPayload),
      'line 3: "other"',
    ],
    [
      "a malformed line",
      () => appendFileSync(join(dir, "trace.jsonl"), "{oops\n"),
      "line 3: not valid JSON",
    ],
    [
      "an unknown event type",
      () => appendFileSync(join(dir, "trace.jsonl"), '{"payload":{"type":"mystery"}}\n'),
      "line 3: unknown event type",
    ],
    [
      "a payload path escaping the bundle",
      () =>
        w.append({
          type: "inference_started",
          inference_call_id: "i",
          thread_id: "thread-root",
          codex_turn_id: "turn-1",
          model: "m",
          provider_name: "p",
          request_payload: {
            raw_payload_id: "raw_payload:1",
            kind: { type: "inference_request" },
            path: "../../etc/passwd",
          },
        }),
      "line 3: bad payload path",
    ],
  ];
  it.each(bad)("rejects %s with its line number", (_n, act, message) => {
    act();
    expect(() => replayBundle(dir)).toThrow(
      expect.objectContaining({
        name: "RolloutError",
        code: "trace_replay",
        message: expect.stringContaining(message),
      }),
    );
  });

  it("rejects a missing or foreign manifest", () => {
    expect(() => replayBundle(join(dir, "missing"))).toThrow(
      expect.objectContaining({ code: "trace_replay" }),
    );
    writeFileSync(join(dir, "manifest.json"), '{"schema_version":9}');
    expect(() => replayBundle(dir)).toThrow(expect.objectContaining({ code: "trace_replay" }));
  });
});

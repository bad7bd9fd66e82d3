import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RESPONSE_STREAM_DROPPED_REASON, writeReducedState } from "../index.js";
import { startedInferenceAttempt } from "../testing/index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rollout-state-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("writeReducedState", () => {
  it("writes state.json with snake_case keys and key-ordered maps", () => {
    const { attempt, writer } = startedInferenceAttempt(dir);
    attempt.recordCancelled(RESPONSE_STREAM_DROPPED_REASON, "req-1", [
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "partial" }] },
    ]);
    writer.close();
    const trace = writeReducedState(dir);
    const state = JSON.parse(readFileSync(join(dir, "state.json"), "utf8"));
    expect(state).toMatchObject({
      schema_version: 1,
      trace_id: "trace-1",
      rollout_id: "rollout-1",
      status: "running",
    });
    const [call] = Object.values(state.inference_calls) as Record<string, unknown>[];
    expect(call).toMatchObject({
      execution: { status: "cancelled" },
      upstream_request_id: "req-1",
      response_item_ids: ["conversation_item:2"],
      raw_request_payload_id: "raw_payload:1",
      raw_response_payload_id: "raw_payload:2",
    });
    expect(Object.keys(state.raw_payloads)).toEqual(["raw_payload:1", "raw_payload:2"]);
    expect(trace.inferenceCalls.size).toBe(1);
  });

  it("rejects a bad bundle dir", () => {
    expect(() => writeReducedState("")).toThrow(
      expect.objectContaining({ code: "invalid_argument" }),
    );
    expect(() => writeReducedState(join(dir, "missing"))).toThrow(
      expect.objectContaining({ code: "trace_replay" }),
    );
  });
});

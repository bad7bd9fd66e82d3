import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replayBundle, startRolloutTraceFromEnv, TraceWriter } from "../index.js";
import { traceBundleDir } from "./trace-writer.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rollout-trace-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("TraceWriter", () => {
  it("writes the manifest, payload files and contiguous events", () => {
    let t = 1_700_000_000_000;
    const bundle = join(dir, "trace-1-thread-root");
    const w = TraceWriter.create(bundle, "trace-1", "rollout-1", "thread-root", { now: () => t++ });
    expect(JSON.parse(readFileSync(join(bundle, "manifest.json"), "utf8"))).toEqual({
      schema_version: 1,
      trace_id: "trace-1",
      rollout_id: "rollout-1",
      root_thread_id: "thread-root",
      started_at_unix_ms: 1_700_000_000_000,
      raw_event_log: "trace.jsonl",
      payloads_dir: "payloads",
    });
    expect(readFileSync(join(bundle, "manifest.json"), "utf8")).toContain('\n  "trace_id"');
    const ref = w.writeJsonPayload({ type: "session_metadata" }, { a: [1, 2] });
    expect(ref).toEqual({
      raw_payload_id: "raw_payload:1",
      kind: { type: "session_metadata" },
      path: "payloads/1.json",
    });
    expect(JSON.parse(readFileSync(join(bundle, "payloads/1.json"), "utf8"))).toEqual({
      a: [1, 2],
    });
    w.append({
      type: "thread_started",
      thread_id: "thread-root",
      agent_path: "/root",
      metadata_payload: ref,
    });
    w.appendWithContext(
      { threadId: "thread-root", codexTurnId: "turn-1" },
      {
        type: "codex_turn_started",
        codex_turn_id: "turn-1",
        thread_id: "thread-root",
      },
    );
    const lines = readFileSync(join(bundle, "trace.jsonl"), "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual([1, 2]);
    expect(lines[0]).toEqual({
      schema_version: 1,
      seq: 1,
      wall_time_unix_ms: 1_700_000_000_001,
      rollout_id: "rollout-1",
      thread_id: null,
      codex_turn_id: null,
      payload: {
        type: "thread_started",
        thread_id: "thread-root",
        agent_path: "/root",
        metadata_payload: ref,
      },
    });
    expect(lines[1]).toMatchObject({ thread_id: "thread-root", codex_turn_id: "turn-1" });
    w.close();
    expect(() => w.append({ type: "rollout_ended", status: "completed" })).toThrow(
      expect.objectContaining({ code: "trace_io" }),
    );
  });

  it.each([
    ["empty dir", ["", "t", "r", "th"]],
    ["empty trace id", ["x", "", "r", "th"]],
    ["non-string root", ["x", "t", "r", 5]],
  ])("rejects %s", (_n, args) => {
    const [d, t, r, th] = args as [string, string, string, string];
    expect(() => TraceWriter.create(d === "x" ? join(dir, "b") : d, t, r, th)).toThrow(
      expect.objectContaining({ name: "RolloutError", code: "invalid_argument" }),
    );
  });

  it("reports an unwritable bundle dir as trace_io", () => {
    const file = join(dir, "file");
    writeFileSync(file, "x");
    expect(() => TraceWriter.create(join(file, "sub"), "t", "r", "th")).toThrow(
      expect.objectContaining({ code: "trace_io" }),
    );
  });

  it("starts a bundle from CODEX_ROLLOUT_TRACE_ROOT, or nothing when unset", () => {
    expect(startRolloutTraceFromEnv("thread-root", { env: {} })).toBeNull();
    expect(
      startRolloutTraceFromEnv("thread-root", { env: { CODEX_ROLLOUT_TRACE_ROOT: "" } }),
    ).toBeNull();
    const w = startRolloutTraceFromEnv("thread-root", {
      env: { CODEX_ROLLOUT_TRACE_ROOT: dir },
      uuid: () => "11111111-1111-4111-8111-111111111111",
    });
    expect(w?.bundleDir).toBe(
      traceBundleDir(dir, "11111111-1111-4111-8111-111111111111", "thread-root"),
    );
    w?.close();
    const trace = replayBundle(w?.bundleDir as string);
    expect(trace).toMatchObject({
      traceId: "11111111-1111-4111-8111-111111111111",
      rolloutId: "thread-root",
      rootThreadId: "thread-root",
    });
  });
});

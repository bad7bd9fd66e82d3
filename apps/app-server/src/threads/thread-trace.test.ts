import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@codex/wire";
import { captureLogger } from "@codex/wire/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ThreadTrace } from "./thread-trace.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "thread-trace-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function traceText(dir: string): string {
  let text = "";
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) text += readFileSync(join(entry.parentPath, entry.name), "utf8");
  }
  return text;
}

describe("ThreadTrace", () => {
  it("records nothing without CODEX_ROLLOUT_TRACE_ROOT, and never throws", () => {
    const trace = ThreadTrace.start("t1", {}, silentLogger);
    expect(trace.writer).toBeNull();
    trace.turnStarted("u1");
    trace.turnEnded("u1", "completed");
    trace.close();
    expect(ThreadTrace.none("t2").writer).toBeNull();
  });

  it("records the thread and its turns under the trace root", () => {
    const trace = ThreadTrace.start("t1", { CODEX_ROLLOUT_TRACE_ROOT: root }, silentLogger);
    expect(trace.writer).not.toBeNull();
    trace.turnStarted("u1");
    trace.turnEnded("u1", "cancelled");
    trace.close();
    const text = traceText(root);
    for (const kind of [
      "thread_started",
      "codex_turn_started",
      "codex_turn_ended",
      "thread_ended",
    ]) {
      expect(text).toContain(kind);
    }
    expect(text).toContain("cancelled");
  });

  it("a trace root that cannot be used is logged, not thrown", () => {
    const log = captureLogger();
    const file = join(root, "file");
    writeFileSync(file, "x");
    const trace = ThreadTrace.start(
      "t1",
      { CODEX_ROLLOUT_TRACE_ROOT: join(file, "sub") },
      log.logger,
    );
    expect(trace.writer).toBeNull();
    expect(log.records.some((r) => r.msg === "could not start the rollout trace")).toBe(true);
  });
});

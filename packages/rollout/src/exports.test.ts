import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as api from "./index.js";

describe("package surface", () => {
  it("exports map lists types first and package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(Object.keys(pkg.exports)).toEqual([".", "./testing", "./package.json"]);
    expect(Object.keys(pkg.exports["./testing"])[0]).toBe("types");
    expect(Object.keys(pkg.exports["."])[0]).toBe("types");
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.type).toBe("module");
  });

  it("exposes the documented entry points", () => {
    for (const name of [
      "RolloutRecorder",
      "RolloutError",
      "loadRolloutItems",
      "getRolloutHistory",
      "listThreads",
      "findThreadPathById",
      "archiveThread",
      "unarchiveThread",
      "appendThreadName",
      "findThreadName",
      "TraceWriter",
      "InferenceTraceContext",
      "InferenceTraceAttempt",
      "replayBundle",
      "parseRolloutLine",
      "serializeRolloutLine",
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe("function");
    }
  });
});

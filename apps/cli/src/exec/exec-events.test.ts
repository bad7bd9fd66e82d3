import { describe, expect, it } from "vitest";
import { formatExecEvent, ZERO_USAGE } from "./exec-events.js";

describe("formatExecEvent", () => {
  it("is one JSON line with upstream's key order", () => {
    expect(formatExecEvent({ type: "turn.failed", error: { message: "x" } })).toBe(
      '{"type":"turn.failed","error":{"message":"x"}}\n',
    );
    expect(formatExecEvent({ type: "turn.completed", usage: ZERO_USAGE })).toBe(
      '{"type":"turn.completed","usage":{"input_tokens":0,"cached_input_tokens":0,"cache_write_input_tokens":0,"output_tokens":0,"reasoning_output_tokens":0}}\n',
    );
  });

  it("escapes newlines inside a message, so one event stays one line", () => {
    expect(formatExecEvent({ type: "error", message: "a\nb" }).split("\n")).toHaveLength(2);
  });
});

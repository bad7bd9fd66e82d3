import { describe, expect, it } from "vitest";
import { parseResponseItem, RolloutError, serializeResponseItem } from "../index.js";

describe("ResponseItem codec", () => {
  it("reads the legacy {content, success} tool output as its content", () => {
    const item = parseResponseItem({
      type: "function_call_output",
      call_id: "c",
      output: { content: "ok", success: true },
    });
    expect(item).toEqual({ type: "function_call_output", call_id: "c", output: "ok" });
    expect(serializeResponseItem(item)).toEqual({
      type: "function_call_output",
      call_id: "c",
      output: "ok",
    });
  });

  it("reads every web search action", () => {
    const read = (action: unknown) => parseResponseItem({ type: "web_search_call", action });
    expect(read({ type: "open_page", url: "u" })).toEqual({
      type: "web_search_call",
      action: { type: "open_page", url: "u" },
    });
    expect(read({ type: "find_in_page", url: "u", pattern: "p" })).toEqual({
      type: "web_search_call",
      action: { type: "find_in_page", url: "u", pattern: "p" },
    });
    expect(read({ type: "future" })).toEqual({
      type: "web_search_call",
      action: { type: "other" },
    });
    expect(read(null)).toEqual({ type: "web_search_call" });
  });

  it("keeps reasoning content for the trace when asked", () => {
    const item = parseResponseItem({
      type: "reasoning",
      summary: [],
      content: [{ type: "text", text: "t" }],
    });
    expect(serializeResponseItem(item)).toEqual({
      type: "reasoning",
      summary: [],
      encrypted_content: null,
    });
    expect(serializeResponseItem(item, { keepReasoningContent: true })).toEqual({
      type: "reasoning",
      summary: [],
      content: [{ type: "text", text: "t" }],
      encrypted_content: null,
    });
  });

  it("reads null optional keys as absent", () => {
    expect(
      parseResponseItem({
        type: "message",
        role: "user",
        content: [],
        end_turn: null,
        phase: null,
        id: null,
      }),
    ).toEqual({
      type: "message",
      role: "user",
      content: [],
    });
  });

  it.each([
    ["a non-object", "message"],
    ["no type", { role: "user" }],
    ["a message without content", { type: "message", role: "user" }],
    ["an unknown phase", { type: "message", role: "user", content: [], phase: "maybe" }],
    [
      "a summary that is not summary_text",
      { type: "reasoning", summary: [{ type: "x", text: "t" }] },
    ],
    ["reasoning content that is not an array", { type: "reasoning", summary: [], content: "x" }],
    [
      "an unknown shell status",
      { type: "local_shell_call", status: "weird", action: { type: "exec", command: [] } },
    ],
    [
      "a shell action that is not exec",
      { type: "local_shell_call", status: "completed", action: { type: "spawn" } },
    ],
    [
      "a non-string command",
      { type: "local_shell_call", status: "completed", action: { type: "exec", command: [1] } },
    ],
    [
      "a non-string env value",
      {
        type: "local_shell_call",
        status: "completed",
        action: { type: "exec", command: [], env: { A: 1 } },
      },
    ],
    [
      "function_call arguments that are not a string",
      { type: "function_call", name: "n", arguments: {}, call_id: "c" },
    ],
    ["a numeric output", { type: "function_call_output", call_id: "c", output: 5 }],
    [
      "an unknown output item",
      { type: "function_call_output", call_id: "c", output: [{ type: "video" }] },
    ],
    ["tool_search_call without arguments", { type: "tool_search_call", execution: "e" }],
    [
      "image_generation_call without id",
      { type: "image_generation_call", status: "s", result: "r" },
    ],
    ["ghost_snapshot without a commit", { type: "ghost_snapshot" }],
    ["compaction without content", { type: "compaction" }],
  ])("rejects %s", (_n, wire) => {
    expect(() => parseResponseItem(wire)).toThrow(RolloutError);
  });
});

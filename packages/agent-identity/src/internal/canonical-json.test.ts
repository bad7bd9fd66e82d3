import { describe, expect, it } from "vitest";
import { jsonString, serializeEnvelope } from "./canonical-json.js";

describe("jsonString (serde_json string escaping)", () => {
  it.each([
    ["plain", "abc", '"abc"'],
    ["quote and backslash", 'a"b\\c', '"a\\"b\\\\c"'],
    ["slash is not escaped", "a/b", '"a/b"'],
    ["short escapes", "\b\t\n\f\r", '"\\b\\t\\n\\f\\r"'],
    ["other controls as lowercase \\u00xx", "\u0000\u001f\u000b", '"\\u0000\\u001f\\u000b"'],
    ["DEL is raw", "\u007f", '"\u007f"'],
    ["non-ASCII is raw", "é日🚀\u2028", '"é日🚀\u2028"'],
  ])("%s", (_name, input, expected) => {
    expect(jsonString(input)).toBe(expected);
    expect(JSON.parse(jsonString(input))).toBe(input);
  });
});

it("serializeEnvelope writes sorted keys with no whitespace", () => {
  expect(
    serializeEnvelope({ agent_runtime_id: "r", signature: "s", task_id: "t", timestamp: "ts" }),
  ).toBe('{"agent_runtime_id":"r","signature":"s","task_id":"t","timestamp":"ts"}');
});

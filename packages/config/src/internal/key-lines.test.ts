import { describe, expect, it } from "vitest";
import { findKeyLine, keyAtLine, scanKeyLines, splitDottedKey } from "./key-lines.js";

const SOURCE = [
  "# comment",
  'model = "gpt-5"',
  "",
  "[model_providers.demo]",
  'name = "demo"',
  'http_headers = { "X-A" = "1" }',
  'notes = """',
  "x = 1",
  '"""',
  "[features]",
  "use_agent_identity = true",
  "[[arr]]",
  'a."b.c" = 1',
].join("\n");

describe("key lines", () => {
  it("splits dotted keys with quotes", () => {
    expect(splitDottedKey("a . \"b.c\".'d'")).toEqual(["a", "b.c", "d"]);
  });

  it("finds headers, assignments and prefixes", () => {
    const lines = scanKeyLines(SOURCE);
    expect(findKeyLine(lines, ["model"])).toBe(2);
    expect(findKeyLine(lines, ["model_providers", "demo"])).toBe(4);
    expect(findKeyLine(lines, ["model_providers", "demo", "name"])).toBe(5);
    expect(findKeyLine(lines, ["model_providers", "demo", "http_headers", "X-A"])).toBe(6);
    expect(findKeyLine(lines, ["model_providers", "demo", "x"])).toBe(4);
    expect(findKeyLine(lines, ["features", "use_agent_identity"])).toBe(11);
    expect(findKeyLine(lines, ["arr", "a", "b.c"])).toBe(13);
    expect(findKeyLine(lines, ["nothing"])).toBeUndefined();
    expect(keyAtLine(lines, 5)).toEqual(["model_providers", "demo", "name"]);
    expect(keyAtLine(lines, 1)).toBeUndefined();
  });
});

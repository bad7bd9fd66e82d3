import { describe, expect, it } from "vitest";
import { parseSerdeJson, serdePosition } from "./serde-json.js";

const parse = (text: string) => parseSerdeJson(Buffer.from(text, "utf8"));

describe("parseSerdeJson", () => {
  it("reads values with their byte ranges", () => {
    const { root, error } = parse(' {"a": [1, "é", null, true]} ');
    expect(error).toBeUndefined();
    expect(root?.kind).toBe("object");
    if (root?.kind !== "object") return;
    expect(root.start).toBe(1);
    expect(root.end).toBe(29); // "é" is two bytes
    const a = root.entries[0];
    expect(a?.key).toBe("a");
    expect(a?.value.kind).toBe("array");
    if (a?.value.kind === "array")
      expect(a.value.items.map((i) => i.kind)).toEqual(["number", "string", "null", "bool"]);
  });

  it("decodes escapes", () => {
    const { root } = parse('"a\\n\\u00e9\\/"');
    expect(root).toMatchObject({ kind: "string", value: "a\né/" });
  });

  it("keeps the complete part of a truncated document", () => {
    const { root, error } = parse('{"x": "done", "y": {"z": 1, "w": "unterminated');
    expect(error?.message).toBe("EOF while parsing a string");
    expect(root?.kind).toBe("object");
    if (root?.kind !== "object") return;
    expect(root.end).toBe(-1);
    expect(root.entries.map((e) => e.key)).toEqual(["x", "y"]);
  });
});

describe("serdePosition", () => {
  it("counts lines from 1 and columns in bytes, 0 right after a newline", () => {
    const bytes = Buffer.from("ab\ncd");
    expect(serdePosition(bytes, 0)).toEqual({ line: 1, column: 0 });
    expect(serdePosition(bytes, 2)).toEqual({ line: 1, column: 2 });
    expect(serdePosition(bytes, 3)).toEqual({ line: 2, column: 0 });
    expect(serdePosition(bytes, 5)).toEqual({ line: 2, column: 2 });
  });
});

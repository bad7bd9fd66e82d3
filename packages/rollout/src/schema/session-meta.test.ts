import { describe, expect, it } from "vitest";
import { parseSessionSource, RolloutError, type SessionSource } from "../index.js";
import {
  parseSessionMetaLine,
  sameSessionSource,
  serializeSessionMetaLine,
} from "./session-meta.js";

describe("SessionSource", () => {
  const forms: SessionSource[] = [
    "cli",
    "vscode",
    "exec",
    "mcp",
    "unknown",
    { custom: "atlas" },
    { internal: "memory_consolidation" },
    { subagent: "review" },
    { subagent: "compact" },
    { subagent: "memory_consolidation" },
    { subagent: { other: "x" } },
    {
      subagent: {
        thread_spawn: {
          parent_thread_id: "p",
          depth: 2,
          agent_path: "/a",
          agent_nickname: "n",
          agent_role: "r",
        },
      },
    },
  ];
  it.each(forms.map((f) => [JSON.stringify(f), f] as const))("reads %s", (_n, form) => {
    expect(parseSessionSource(JSON.parse(JSON.stringify(form)))).toEqual(form);
  });

  it("reads missing as vscode and unknown forms as unknown", () => {
    expect(parseSessionSource(undefined)).toBe("vscode");
    expect(parseSessionSource("desktop")).toBe("unknown");
    expect(parseSessionSource({ internal: "other" })).toBe("unknown");
    expect(parseSessionSource({ mystery: 1 })).toBe("unknown");
    expect(sameSessionSource({ custom: "a" }, { custom: "a" })).toBe(true);
    expect(sameSessionSource("cli", "exec")).toBe(false);
  });

  it.each([
    ["a number", 5],
    ["a thread_spawn without depth", { subagent: { thread_spawn: { parent_thread_id: "p" } } }],
    ["a subagent of the wrong type", { subagent: 3 }],
  ])("rejects %s", (_n, v) => {
    expect(() => parseSessionSource(v)).toThrow(RolloutError);
  });
});

describe("SessionMetaLine", () => {
  const base = { id: "i", timestamp: "t", cwd: "/", originator: "o", cli_version: "1" };

  it("drops legacy keys, keeps the write order", () => {
    const meta = parseSessionMetaLine({
      ...base,
      instructions: "old",
      source: "exec",
      model_provider: "p",
      git: { branch: "b" },
    });
    expect(Object.keys(serializeSessionMetaLine(meta))).toEqual([
      "id",
      "timestamp",
      "cwd",
      "originator",
      "cli_version",
      "source",
      "model_provider",
      "base_instructions",
      "git",
    ]);
  });

  it("omits empty dynamic tools and memory modes other than disabled", () => {
    const meta = parseSessionMetaLine({ ...base, dynamic_tools: [], memory_mode: "enabled" });
    expect(meta.dynamic_tools).toBeUndefined();
    expect(meta.memory_mode).toBeUndefined();
  });

  it.each([
    ["a non-object", "meta"],
    ["a missing id", { ...base, id: undefined }],
    ["a numeric cwd", { ...base, cwd: 1 }],
    ["base_instructions as a string", { ...base, base_instructions: "x" }],
    ["base_instructions without text", { ...base, base_instructions: {} }],
    ["a dynamic tool without a name", { ...base, dynamic_tools: [{ description: "d" }] }],
    ["a numeric branch", { ...base, git: { branch: 1 } }],
  ])("rejects %s", (_n, v) => {
    expect(() => parseSessionMetaLine(v)).toThrow(RolloutError);
  });
});

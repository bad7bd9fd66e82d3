import { describe, expect, it } from "vitest";
import { subagentHeaders } from "./session-source.js";

describe("subagentHeaders", () => {
  // Twin of upstream client_tests.rs `build_subagent_headers_sets_other_subagent_label`.
  it("sends the Other label verbatim", () => {
    expect(
      subagentHeaders({
        kind: "sub_agent",
        subAgent: { kind: "other", label: "memory_consolidation" },
      }),
    ).toEqual({ "x-openai-subagent": "memory_consolidation" });
  });

  // Twin of upstream client_tests.rs `build_subagent_headers_sets_internal_memory_consolidation_label`.
  it("labels internal memory consolidation and marks it a memgen request", () => {
    expect(subagentHeaders({ kind: "internal", internal: "memory_consolidation" })).toEqual({
      "x-openai-subagent": "memory_consolidation",
      "x-openai-memgen-request": "true",
    });
  });

  it("maps review, compact, thread spawn; interactive sources send nothing", () => {
    expect(subagentHeaders({ kind: "sub_agent", subAgent: { kind: "review" } })).toEqual({
      "x-openai-subagent": "review",
    });
    expect(subagentHeaders({ kind: "sub_agent", subAgent: { kind: "compact" } })).toEqual({
      "x-openai-subagent": "compact",
    });
    expect(
      subagentHeaders({
        kind: "sub_agent",
        subAgent: { kind: "thread_spawn", parentThreadId: "parent-1", depth: 2 },
      }),
    ).toEqual({ "x-openai-subagent": "collab_spawn", "x-codex-parent-thread-id": "parent-1" });
    for (const kind of ["cli", "vscode", "exec", "mcp", "unknown"] as const) {
      expect(subagentHeaders({ kind })).toEqual({});
    }
    expect(subagentHeaders({ kind: "custom", name: "x" })).toEqual({});
  });
});

/** Which sub-agent a session runs as (upstream `SubAgentSource`). */
export type SubAgentSource =
  | { readonly kind: "review" }
  | { readonly kind: "compact" }
  | { readonly kind: "memory_consolidation" }
  | { readonly kind: "thread_spawn"; readonly parentThreadId: string; readonly depth: number }
  | { readonly kind: "other"; readonly label: string };

/** Where a session comes from (upstream `SessionSource`); decides `x-openai-subagent`. */
export type SessionSource =
  | { readonly kind: "cli" | "vscode" | "exec" | "mcp" | "unknown" }
  | { readonly kind: "custom"; readonly name: string }
  | { readonly kind: "sub_agent"; readonly subAgent: SubAgentSource }
  | { readonly kind: "internal"; readonly internal: "memory_consolidation" };

/** `x-openai-subagent`. */
export const X_OPENAI_SUBAGENT_HEADER = "x-openai-subagent";
/** `x-codex-parent-thread-id` (thread-spawned sub-agents). */
export const X_CODEX_PARENT_THREAD_ID_HEADER = "x-codex-parent-thread-id";
/** `x-openai-memgen-request` (internal memory consolidation). */
export const X_OPENAI_MEMGEN_REQUEST_HEADER = "x-openai-memgen-request";

/**
 * The sub-agent headers of a session: `x-openai-subagent` (review, compact,
 * memory_consolidation, collab_spawn, or the `other` label verbatim), `x-codex-parent-thread-id`
 * for a spawned thread, `x-openai-memgen-request: true` for internal memory consolidation.
 * Interactive sources send none.
 *
 * @example
 * ```ts
 * subagentHeaders({ kind: "sub_agent", subAgent: { kind: "review" } });
 * // { "x-openai-subagent": "review" }
 * ```
 */
export function subagentHeaders(source: SessionSource): Record<string, string> {
  if (source.kind === "internal") {
    return {
      [X_OPENAI_SUBAGENT_HEADER]: "memory_consolidation",
      [X_OPENAI_MEMGEN_REQUEST_HEADER]: "true",
    };
  }
  if (source.kind !== "sub_agent") return {};
  const sub = source.subAgent;
  switch (sub.kind) {
    case "review":
    case "compact":
    case "memory_consolidation":
      return { [X_OPENAI_SUBAGENT_HEADER]: sub.kind };
    case "thread_spawn":
      return {
        [X_OPENAI_SUBAGENT_HEADER]: "collab_spawn",
        [X_CODEX_PARENT_THREAD_ID_HEADER]: sub.parentThreadId,
      };
    case "other":
      return { [X_OPENAI_SUBAGENT_HEADER]: sub.label };
  }
}

import type { RolloutItem } from "@codex/rollout";

/** What a turn's `turn_context` line records. */
export interface TurnContextInput {
  readonly turnId: string;
  readonly cwd: string;
  readonly model: string;
  /** `model_reasoning_effort`, when configured. */
  readonly reasoningEffort: string | undefined;
  readonly approvalPolicy: "never" | "on-request";
}

/**
 * The `turn_context` line 0.169 writes before each turn's user message, with its keys (see
 * `@codex/rollout`'s upstream-0.169 fixtures): the cwd and model a resume goes on with, the
 * read-only permission profile and sandbox of a turn that runs no tools, the default
 * collaboration mode, no reasoning summary.
 */
export function turnContextItem(input: TurnContextInput): RolloutItem {
  const effort = input.reasoningEffort ?? null;
  return {
    type: "turn_context",
    payload: {
      cwd: input.cwd,
      approval_policy: input.approvalPolicy,
      sandbox_policy: { type: "read-only" },
      model: input.model,
      summary: "none",
      optional: {
        turn_id: input.turnId,
        root_turn_id: input.turnId,
        disabled_plugin_ids: [],
        approvals_reviewer: "user",
        permission_profile: {
          type: "managed",
          file_system: {
            type: "restricted",
            entries: [{ path: { type: "special", value: { kind: "root" } }, access: "read" }],
          },
          network: "restricted",
        },
        active_permission_profile: { id: ":read-only" },
        collaboration_mode: {
          mode: "default",
          settings: { model: input.model, reasoning_effort: effort, developer_instructions: null },
        },
        multi_agent_version: "v1",
        realtime_active: false,
        ...(effort === null ? {} : { effort }),
      },
    },
  };
}

import { serializeRolloutLine, validateRolloutItem } from "@codex/rollout";
import { describe, expect, it } from "vitest";
import { turnContextItem } from "./turn-context-item.js";

describe("turnContextItem", () => {
  it("is a valid turn_context with 0.169's keys", () => {
    const item = turnContextItem({
      turnId: "u",
      cwd: "/w",
      model: "gpt-5.4",
      reasoningEffort: undefined,
      approvalPolicy: "never",
    });
    expect(() => validateRolloutItem(item)).not.toThrow();
    const wire = JSON.parse(serializeRolloutLine("2026-12-05T16:06:05.018Z", item) ?? "") as {
      payload: Record<string, unknown>;
    };
    expect(Object.keys(wire.payload).sort()).toEqual(
      [
        "turn_id",
        "root_turn_id",
        "disabled_plugin_ids",
        "cwd",
        "approval_policy",
        "approvals_reviewer",
        "permission_profile",
        "active_permission_profile",
        "model",
        "collaboration_mode",
        "multi_agent_version",
        "realtime_active",
        "summary",
        "sandbox_policy",
      ].sort(),
    );
    expect(wire.payload).toMatchObject({
      cwd: "/w",
      model: "gpt-5.4",
      approval_policy: "never",
      collaboration_mode: { settings: { model: "gpt-5.4", reasoning_effort: null } },
    });
  });

  it("records a configured reasoning effort", () => {
    const item = turnContextItem({
      turnId: "u",
      cwd: "/w",
      model: "m",
      reasoningEffort: "high",
      approvalPolicy: "on-request",
    });
    expect(item.type === "turn_context" && item.payload.optional).toMatchObject({
      effort: "high",
      collaboration_mode: { settings: { reasoning_effort: "high" } },
    });
  });
});

import { describe, expect, it } from "vitest";
import { turnMetadataJson } from "./turn-metadata.js";

describe("turnMetadataJson", () => {
  it("has 0.169's keys in its order", () => {
    const json = JSON.parse(
      turnMetadataJson({
        installationId: "i",
        threadId: "t",
        turnId: "u",
        rootTurnId: "u",
        windowNumber: 2,
        historyInitialization: "resumed",
        turnStartedAtUnixMs: 5,
        model: "m",
      }),
    );
    expect(Object.keys(json)).toEqual([
      "installation_id",
      "session_id",
      "thread_id",
      "agent_name",
      "turn_id",
      "window_id",
      "window_number",
      "context_window_id",
      "request_kind",
      "history_initialization",
      "root_turn_id",
      "sandbox",
      "sandbox_mode",
      "auto_review_enabled",
      "node_repl_auto_review_required",
      "node_repl_disabled",
      "turn_started_at_unix_ms",
      "analytics_enabled",
      "model",
    ]);
    expect(json).toMatchObject({
      window_id: "t:2",
      history_initialization: "resumed",
      agent_name: "/root",
    });
  });

  it("adds thread_source and turn_trigger after root_turn_id when given (0.169's exec)", () => {
    const keys = (extra: { threadSource?: string | null; turnTrigger?: string | null }) =>
      JSON.parse(
        turnMetadataJson({
          installationId: "i",
          threadId: "t",
          turnId: "u",
          rootTurnId: "u",
          windowNumber: 0,
          historyInitialization: "new",
          turnStartedAtUnixMs: 5,
          model: "m",
          ...extra,
        }),
      ) as Record<string, unknown>;
    const exec = keys({ threadSource: "user", turnTrigger: "exec" });
    expect(Object.keys(exec).slice(10, 14)).toEqual([
      "root_turn_id",
      "thread_source",
      "turn_trigger",
      "sandbox",
    ]);
    expect(exec).toMatchObject({ thread_source: "user", turn_trigger: "exec" });
    expect(Object.keys(keys({ threadSource: null, turnTrigger: null }))).not.toContain(
      "thread_source",
    );
  });
});

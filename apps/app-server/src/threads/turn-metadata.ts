/** What `x-codex-turn-metadata` describes of a turn. */
export interface TurnMetadataInput {
  readonly installationId: string;
  readonly threadId: string;
  readonly turnId: string;
  readonly rootTurnId: string;
  readonly windowNumber: number;
  readonly historyInitialization: "new" | "resumed";
  readonly turnStartedAtUnixMs: number;
  readonly model: string;
  /** `thread_source` (0.169's exec: `"user"`); omitted when null or absent (app-server threads). */
  readonly threadSource?: string | null | undefined;
  /** `turn_trigger` (0.169's exec: `"exec"`); omitted when null or absent (app-server turns). */
  readonly turnTrigger?: string | null | undefined;
}

/**
 * The `x-codex-turn-metadata` JSON string of a turn, with the keys 0.169 sends (session and
 * thread ids, the root agent, the thread source and turn trigger of an exec turn, the read-only
 * sandbox, the model), in its order.
 *
 * @example turnMetadataJson({ installationId, threadId, turnId, rootTurnId: turnId, windowNumber: 0, historyInitialization: "new", turnStartedAtUnixMs: Date.now(), model: "gpt-5.5" });
 */
export function turnMetadataJson(input: TurnMetadataInput): string {
  const windowId = `${input.threadId}:${input.windowNumber}`;
  return JSON.stringify({
    installation_id: input.installationId,
    session_id: input.threadId,
    thread_id: input.threadId,
    agent_name: "/root",
    turn_id: input.turnId,
    window_id: windowId,
    window_number: input.windowNumber,
    context_window_id: windowId,
    request_kind: "turn",
    history_initialization: input.historyInitialization,
    root_turn_id: input.rootTurnId,
    ...(input.threadSource == null ? {} : { thread_source: input.threadSource }),
    ...(input.turnTrigger == null ? {} : { turn_trigger: input.turnTrigger }),
    sandbox: "seccomp",
    sandbox_mode: "read-only",
    auto_review_enabled: false,
    node_repl_auto_review_required: false,
    node_repl_disabled: true,
    turn_started_at_unix_ms: input.turnStartedAtUnixMs,
    analytics_enabled: false,
    model: input.model,
  });
}

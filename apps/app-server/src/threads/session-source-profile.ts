import type { ThreadSessionSource } from "./engine-thread.js";

/** What 0.169 records and sends differently per session source. */
export interface SessionSourceProfile {
  /** `thread_source` of the rollout's `session_meta` and of `x-codex-turn-metadata`. */
  readonly threadSource: "user" | null;
  /** `turn_trigger` of `x-codex-turn-metadata`. */
  readonly turnTrigger: "exec" | null;
  /** `approval_policy` of the rollout's `turn_context` lines. */
  readonly approvalPolicy: "never" | "on-request";
}

const EXEC: SessionSourceProfile = {
  threadSource: "user",
  turnTrigger: "exec",
  approvalPolicy: "never",
};
const INTERACTIVE: SessionSourceProfile = {
  threadSource: null,
  turnTrigger: null,
  approvalPolicy: "on-request",
};

/**
 * The profile of a session source: `codex exec` threads are user threads whose turns the exec
 * triggers, run without approvals (0.169's exec rollout and request); app-server threads carry
 * neither key (0.169's `thread.threadSource` is null there) and ask for approval on request.
 */
export function sessionSourceProfile(source: ThreadSessionSource): SessionSourceProfile {
  return source === "exec" ? EXEC : INTERACTIVE;
}

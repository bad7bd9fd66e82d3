import { LoginError } from "../errors.js";
import type { IdTokenInfo } from "../id-token.js";

/**
 * Checks a freshly obtained id token against the forced workspace ids (config
 * `forced_chatgpt_workspace_id`), before anything is persisted. An empty list allows all.
 *
 * @throws {LoginError} code `login_restricted`, with upstream's messages.
 * @example
 * ```ts
 * ensureWorkspaceAllowed(["ws-1"], parseIdToken(tokens.idToken)); // throws unless ws-1
 * ```
 */
export function ensureWorkspaceAllowed(
  forcedWorkspaceIds: readonly string[] | undefined,
  idToken: IdTokenInfo,
): void {
  const allowed = (forcedWorkspaceIds ?? []).filter((id) => id !== "");
  if (allowed.length === 0) return;
  const actual = idToken.chatgptAccountId;
  if (actual === undefined || actual === "") {
    throw new LoginError(
      "login_restricted",
      "Login is restricted to a specific workspace, but the token did not include an chatgpt_account_id claim.",
    );
  }
  if (!allowed.includes(actual)) {
    throw new LoginError(
      "login_restricted",
      `Login is restricted to workspace id(s) ${allowed.join(", ")}.`,
    );
  }
}

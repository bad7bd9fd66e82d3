import { CodexAuth } from "./codex-auth.js";
import { LoginError } from "./errors.js";
import type { ForcedLoginMethod, LoginEnv } from "./login-config.js";

/**
 * `forced_chatgpt_workspace_id` against the account of new host tokens: a host login for another
 * workspace is `login_restricted`, a host refresh answering for another one `workspace_mismatch`.
 */
export function checkForcedWorkspace(
  forced: string | undefined,
  accountId: string,
  kind: "login" | "refresh",
): void {
  if (!forced || forced === accountId) return;
  if (kind === "refresh") {
    throw new LoginError(
      "workspace_mismatch",
      `external auth refresh returned workspace ${JSON.stringify(accountId)}, expected ${JSON.stringify(forced)}`,
    );
  }
  throw new LoginError("login_restricted", `Login is restricted to workspace id(s) ${forced}.`);
}

/** `forced_login_method` against a login that is about to be made. */
export function checkLoginMethod(
  forced: ForcedLoginMethod | undefined,
  attempt: "api" | "chatgpt",
) {
  if (forced === "chatgpt" && attempt === "api") {
    throw new LoginError(
      "login_restricted",
      "ChatGPT login is required, but an API key login was attempted.",
    );
  }
  if (forced === "api" && attempt === "chatgpt") {
    throw new LoginError(
      "login_restricted",
      "API key login is required, but a ChatGPT login was attempted.",
    );
  }
}

/** What {@link enforceLoginRestrictions} reads and does. */
export interface LoginRestrictionsInput {
  readonly method: ForcedLoginMethod | undefined;
  readonly workspace: string | undefined;
  readonly env: LoginEnv;
  /** Loads the stored credentials (host tokens first). */
  load(): Promise<CodexAuth | undefined>;
  /** Clears every store (the manager's logout). */
  logout(): Promise<unknown>;
}

async function violation(input: LoginRestrictionsInput, message: string): Promise<never> {
  let suffix = "";
  try {
    await input.logout();
  } catch (err) {
    suffix = `. Failed to remove auth.json: ${(err as Error).message}`;
  }
  throw new LoginError("login_restricted", `${message}${suffix}`);
}

/**
 * Startup enforcement of `forced_login_method` and `forced_chatgpt_workspace_id` (loads with
 * `CODEX_API_KEY` enabled). On a violation every store is cleared and the upstream message is
 * thrown.
 *
 * @throws {LoginError} code `login_restricted`.
 */
export async function enforceLoginRestrictions(input: LoginRestrictionsInput): Promise<void> {
  const { method, workspace } = input;
  if (!method && !workspace) return;
  let auth: CodexAuth | undefined;
  try {
    const key = input.env.CODEX_API_KEY?.trim();
    auth = key ? CodexAuth.fromApiKey(key) : await input.load();
  } catch (err) {
    if (!workspace) return;
    return violation(
      input,
      `Failed to load ChatGPT credentials while enforcing workspace restrictions: ${(err as Error).message}. Logging out.`,
    );
  }
  if (!auth) return;
  if (method === "api" && auth.isChatgptAuth()) {
    return violation(
      input,
      "API key login is required, but ChatGPT is currently being used. Logging out.",
    );
  }
  if (method === "chatgpt" && !auth.isChatgptAuth()) {
    return violation(
      input,
      "ChatGPT login is required, but an API key is currently being used. Logging out.",
    );
  }
  if (workspace && auth.isChatgptAuth()) {
    const actual = auth.getChatgptAccountIdClaim();
    if (actual === undefined) {
      return violation(
        input,
        `Login is restricted to workspace ${workspace}, but current credentials lack a workspace identifier. Logging out.`,
      );
    }
    if (actual !== workspace) {
      return violation(
        input,
        `Login is restricted to workspace ${workspace}, but current credentials belong to ${actual}. Logging out.`,
      );
    }
  }
}

import { Secret } from "@codex/wire";
import type { AuthDotJson } from "./auth-dot-json.js";
import { LoginError } from "./errors.js";
import { hostTokensAuthDotJson } from "./external-refresh.js";
import type { ForcedLoginMethod } from "./login-config.js";
import { checkForcedWorkspace, checkLoginMethod } from "./login-restrictions.js";

/**
 * The auth.json of an API-key login (`{"auth_mode":"apikey","OPENAI_API_KEY":…}`).
 *
 * @throws {LoginError} `invalid_argument` (empty key), `login_restricted` (ChatGPT forced).
 */
export function apiKeyLogin(
  apiKey: string | Secret,
  forced: ForcedLoginMethod | undefined,
): AuthDotJson {
  const key = typeof apiKey === "string" ? new Secret(apiKey) : apiKey;
  if (!Secret.is(key) || key.reveal().trim() === "") {
    throw new LoginError("invalid_argument", "API key must be a non-empty string");
  }
  checkLoginMethod(forced, "api");
  return { authMode: "apikey", openaiApiKey: key };
}

/** What {@link hostTokensLogin} checks the host's tokens against. */
export interface HostTokensLoginRules {
  readonly forcedLoginMethod: ForcedLoginMethod | undefined;
  readonly forcedWorkspaceId: string | undefined;
  readonly now: Date;
}

/**
 * The in-memory auth of host-owned tokens (`chatgptAuthTokens`); the access token must be a JWT.
 *
 * @throws {LoginError} `invalid_argument`, `external_metadata_missing`, `invalid_id_token`,
 *   `login_restricted`.
 */
export function hostTokensLogin(
  accessToken: string | Secret,
  accountId: string,
  planType: string | undefined,
  rules: HostTokensLoginRules,
): AuthDotJson {
  const token = typeof accessToken === "string" ? new Secret(accessToken) : accessToken;
  if (!Secret.is(token) || token.isEmpty) {
    throw new LoginError("invalid_argument", "access token must be a non-empty string");
  }
  if (typeof accountId !== "string" || accountId === "") {
    throw new LoginError(
      "external_metadata_missing",
      "external auth tokens are missing ChatGPT metadata",
    );
  }
  checkLoginMethod(rules.forcedLoginMethod, "chatgpt");
  checkForcedWorkspace(rules.forcedWorkspaceId, accountId, "login");
  return hostTokensAuthDotJson(token, accountId, planType, undefined, rules.now);
}

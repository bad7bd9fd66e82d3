import {
  AGENT_ASSERTION_SCHEME,
  authorizationHeaderForAgentTask,
  normalizeChatgptBaseUrl,
  supportsBackgroundAgentTaskAuth,
} from "@codex/agent-identity";
import { type Logger, redactText, silentLogger } from "@codex/wire";
import { CodexAuth } from "../codex-auth.js";
import { LoginError } from "../errors.js";
import { agentIdentityBindingFromAuth } from "./agent-identity-binding.js";
import { AGENT_IDENTITY_ERROR_CODE } from "./agent-identity-client.js";
import { loadStoredIdentity } from "./load-stored-identity.js";
import { agentIdentityKeyOf, storedAgentIdentityFromRecord } from "./stored-agent-identity.js";

/** Upstream `BackgroundAgentTaskAuthMode` (feature `use_agent_identity`). Default disabled. */
export type BackgroundAgentTaskAuthMode = "enabled" | "disabled";

/** Options of the ChatGPT authorization-header decision. */
export interface ChatgptAuthorizationOptions {
  /** `enabled` when `features.use_agent_identity` is on (default `disabled`). */
  readonly mode?: BackgroundAgentTaskAuthMode | undefined;
  /** Configured ChatGPT base URL; without one the header is always `Bearer`. */
  readonly chatgptBaseUrl?: string | undefined;
  /** Forced workspace id (config), which decides the binding's account. */
  readonly forcedWorkspaceId?: string | undefined;
  /**
   * Hosts added to upstream's allowlist (`chatgpt.com`, `chat.openai.com`, `chatgpt-staging.com`
   * and their subdomains), e.g. `127.0.0.1` for a loopback backend. Exact host names.
   */
  readonly extraAllowedHosts?: readonly string[] | undefined;
  /** Clock of the assertion timestamp (tests). */
  readonly now?: (() => Date) | undefined;
  /** Redacting logger (default silent). */
  readonly logger?: Logger | undefined;
}

/** True when `base` (normalized) may carry an AgentAssertion: upstream's hosts plus the extras. */
export function backgroundTaskAuthAllowedFor(
  chatgptBaseUrl: string,
  extraAllowedHosts: readonly string[] = [],
): boolean {
  if (supportsBackgroundAgentTaskAuth(chatgptBaseUrl)) return true;
  if (extraAllowedHosts.length === 0) return false;
  let host: string;
  try {
    host = new URL(chatgptBaseUrl).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  } catch {
    return false;
  }
  return extraAllowedHosts.some((h) => h.replace(/^\[|\]$/g, "").toLowerCase() === host);
}

/**
 * The `AgentAssertion …` value for the stored background task of `auth`, or `undefined` when the
 * mode is disabled, the base URL is not allowed, there is no binding, no usable stored identity
 * or no stored `background_task_id`. Stale records are deleted from the store (upstream
 * `authorization_header_value_for_auth`).
 *
 * @throws {LoginError} when deleting a stale record fails; `AgentIdentityError` when signing does.
 */
export async function backgroundAgentTaskAuthorizationHeaderValue(
  auth: CodexAuth,
  options: ChatgptAuthorizationOptions,
): Promise<string | undefined> {
  if ((options.mode ?? "disabled") !== "enabled" || options.chatgptBaseUrl === undefined) {
    return undefined;
  }
  const base = normalizeChatgptBaseUrl(options.chatgptBaseUrl);
  if (!backgroundTaskAuthAllowedFor(base, options.extraAllowedHosts)) return undefined;
  const binding = agentIdentityBindingFromAuth(auth, options.forcedWorkspaceId);
  if (binding === undefined) return undefined;
  const logger = options.logger ?? silentLogger;
  const stored = await loadStoredIdentity(auth, binding, logger);
  if (stored === undefined) return undefined;
  if (stored.backgroundTaskId === undefined) {
    logger.debug(
      "skipping background agent task auth because stored agent identity has no background task id",
      { agentRuntimeId: stored.agentRuntimeId },
    );
    return undefined;
  }
  return authorizationHeaderForAgentTask(
    agentIdentityKeyOf(stored),
    { agentRuntimeId: stored.agentRuntimeId, taskId: stored.backgroundTaskId },
    options.now ? { now: options.now } : {},
  );
}

/**
 * The `Authorization` value for ChatGPT backend calls (upstream
 * `AuthManager::chatgpt_authorization_header_for_auth`): `undefined` for non-ChatGPT auth;
 * `Bearer <access token>` without a configured base URL; otherwise `AgentAssertion …` when the
 * mode is enabled, the base URL is allowed and a stored task id exists, else (also on any error,
 * which is logged) `Bearer <access token>`.
 *
 * Callers omit `ChatGPT-Account-ID` when the value starts with `AgentAssertion `
 * ({@link isAgentAssertionAuthorization}).
 *
 * @example
 * ```ts
 * const value = await chatgptAuthorizationHeaderForAuth(auth, {
 *   mode: "enabled",
 *   chatgptBaseUrl: "https://chatgpt.com/backend-api",
 * });
 * ```
 */
export async function chatgptAuthorizationHeaderForAuth(
  auth: CodexAuth | undefined,
  options: ChatgptAuthorizationOptions = {},
): Promise<string | undefined> {
  if (auth !== undefined && !(auth instanceof CodexAuth)) {
    throw new LoginError("invalid_argument", "auth must be a CodexAuth or undefined");
  }
  if (auth === undefined || !auth.isChatgptAuth()) return undefined;
  if (auth.apiAuthMode === "agentIdentity") return agentIdentityModeAuthorization(auth, options);
  if (options.chatgptBaseUrl !== undefined) {
    try {
      const assertion = await backgroundAgentTaskAuthorizationHeaderValue(auth, options);
      if (assertion !== undefined) return assertion;
    } catch (err) {
      (options.logger ?? silentLogger).warn(
        "background agent task auth failed; falling back to bearer auth",
        { error: redactText(err instanceof Error ? err.message : "unknown error") },
      );
    }
  }
  return bearerAuthorizationFor(auth);
}

/**
 * `auth_mode: "agentIdentity"` (upstream 0.169): the stored record is the credential, there is no
 * bearer token; with a stored `task_id` the value is the record's `AgentAssertion`, else (or when
 * its key cannot sign, which is logged) `undefined`. Registering a task for such a file is not
 * done here.
 */
function agentIdentityModeAuthorization(
  auth: CodexAuth,
  options: ChatgptAuthorizationOptions,
): string | undefined {
  const record = auth.getCurrentAuthJson()?.agentIdentity;
  if (record?.taskId === undefined) return undefined;
  try {
    return authorizationHeaderForAgentTask(
      agentIdentityKeyOf({
        agentRuntimeId: record.agentRuntimeId,
        privateKey: record.agentPrivateKey,
      }),
      { agentRuntimeId: record.agentRuntimeId, taskId: record.taskId },
      options.now ? { now: options.now } : {},
    );
  } catch (err) {
    (options.logger ?? silentLogger).warn("stored agent identity cannot sign an AgentAssertion", {
      error: redactText(err instanceof Error ? err.message : "unknown error"),
    });
    return undefined;
  }
}

/** `Bearer <token>` of a ChatGPT auth, or `undefined` when the token is empty or missing. */
export function bearerAuthorizationFor(auth: CodexAuth): string | undefined {
  let token: string;
  try {
    token = auth.getToken().reveal();
  } catch {
    return undefined;
  }
  return token === "" ? undefined : `Bearer ${token}`;
}

/**
 * The same decision for a cached auth, synchronously, without a forced workspace and **without
 * deleting** anything (upstream `cached_background_agent_task_authorization_header_value`):
 * a mismatching record gives `undefined`, a broken one throws.
 *
 * @throws {LoginError} when the stored private key does not decode.
 */
export function cachedBackgroundAgentTaskAuthorizationHeaderValue(
  auth: CodexAuth,
  options: Omit<ChatgptAuthorizationOptions, "forcedWorkspaceId" | "logger">,
): string | undefined {
  if ((options.mode ?? "disabled") !== "enabled" || options.chatgptBaseUrl === undefined) {
    return undefined;
  }
  const base = normalizeChatgptBaseUrl(options.chatgptBaseUrl);
  if (!backgroundTaskAuthAllowedFor(base, options.extraAllowedHosts)) return undefined;
  const binding = agentIdentityBindingFromAuth(auth);
  if (binding === undefined) return undefined;
  const record = auth.getAgentIdentity(binding.chatgptAccountId);
  if (record === undefined) return undefined;
  const check = storedAgentIdentityFromRecord(binding, record);
  if (!check.ok) {
    if (check.problem === "invalid_private_key") {
      throw new LoginError(
        AGENT_IDENTITY_ERROR_CODE,
        "stored agent identity private key is not a valid Ed25519 PKCS#8 key",
      );
    }
    return undefined;
  }
  const taskId = check.identity.backgroundTaskId;
  if (taskId === undefined) return undefined;
  return authorizationHeaderForAgentTask(
    agentIdentityKeyOf(check.identity),
    { agentRuntimeId: check.identity.agentRuntimeId, taskId },
    options.now ? { now: options.now } : {},
  );
}

/** True for an `AgentAssertion …` value: callers then omit the `ChatGPT-Account-ID` header. */
export function isAgentAssertionAuthorization(value: string | undefined): boolean {
  return value?.startsWith(AGENT_ASSERTION_SCHEME) === true;
}

/** What {@link chatgptAuthorizationHeader} needs from an `AuthManager`. */
export interface ChatgptAuthSource {
  auth(): Promise<CodexAuth | undefined>;
  readonly forcedChatgptWorkspaceId: string | undefined;
}

/**
 * {@link chatgptAuthorizationHeaderForAuth} for the manager's current auth and forced workspace
 * (upstream `AuthManager::chatgpt_authorization_header`).
 *
 * @example
 * ```ts
 * const value = await chatgptAuthorizationHeader(authManager, { mode, chatgptBaseUrl });
 * ```
 */
export async function chatgptAuthorizationHeader(
  manager: ChatgptAuthSource,
  options: Omit<ChatgptAuthorizationOptions, "forcedWorkspaceId"> = {},
): Promise<string | undefined> {
  const auth = await manager.auth();
  return chatgptAuthorizationHeaderForAuth(auth, {
    ...options,
    forcedWorkspaceId: manager.forcedChatgptWorkspaceId,
  });
}

/**
 * The auth headers of a ChatGPT backend request: `authorization`, plus `chatgpt-account-id` (the
 * stored `tokens.account_id`) only when the value is a Bearer token: an `AgentAssertion` already
 * names the agent and the header is omitted (seed 004). Empty for non-ChatGPT auth.
 */
export async function chatgptRequestAuthHeaders(
  auth: CodexAuth | undefined,
  options: ChatgptAuthorizationOptions = {},
): Promise<Record<string, string>> {
  const value = await chatgptAuthorizationHeaderForAuth(auth, options);
  if (value === undefined || auth === undefined) return {};
  const headers: Record<string, string> = { authorization: value };
  const accountId = auth.getAccountId();
  if (!isAgentAssertionAuthorization(value) && accountId !== undefined && accountId !== "") {
    headers["chatgpt-account-id"] = accountId;
  }
  return headers;
}

import { AGENT_IDENTITY_ERROR_CODE } from "./agent-tasks/agent-identity-client.js";
import { AgentIdentityManager } from "./agent-tasks/agent-identity-manager.js";
import type { ChatgptAuthorizationOptions } from "./agent-tasks/background-task-auth.js";
import type { CodexAuth } from "./codex-auth.js";
import { LoginError } from "./errors.js";
import type { ChatgptBackendSettings, LoginConfig } from "./login-config.js";

/** The manager's view a ChatGPT backend call is decided with. */
export interface ChatgptBackendState {
  readonly config: LoginConfig;
  readonly backend: ChatgptBackendSettings;
  forcedWorkspaceId(): string | undefined;
}

/** The options of the `Authorization` decision (`background-task-auth.ts`) for `state`. */
export function authorizationOptions(state: ChatgptBackendState): ChatgptAuthorizationOptions {
  const { backend, config } = state;
  return {
    mode: backend.mode,
    chatgptBaseUrl: backend.baseUrl,
    extraAllowedHosts: backend.extraAllowedHosts,
    forcedWorkspaceId: state.forcedWorkspaceId(),
    logger: config.logger,
    now: config.now,
  };
}

/**
 * The agent identity of a manager: enabled by `backend.mode`, against `backend.baseUrl`, over the
 * manager's HTTP client, reading the manager's auth and telling it about every write.
 *
 * @throws {LoginError} `invalid_argument` when no ChatGPT base URL is configured.
 */
export function createAgentIdentity(
  state: ChatgptBackendState,
  auth: () => Promise<CodexAuth | undefined>,
  onSaved: () => Promise<unknown>,
): AgentIdentityManager {
  const { backend, config } = state;
  const baseUrl = backend.baseUrl;
  if (typeof baseUrl !== "string" || baseUrl.trim() === "") {
    throw new LoginError("invalid_argument", "agentIdentity() needs chatgptBackend.baseUrl");
  }
  return new AgentIdentityManager({
    auth,
    forcedWorkspaceId: () => state.forcedWorkspaceId(),
    chatgptBaseUrl: baseUrl,
    enabled: backend.mode === "enabled",
    sessionSource: config.sessionSource,
    http: config.http(AGENT_IDENTITY_ERROR_CODE),
    logger: config.logger,
    now: config.now,
    onSaved,
  });
}

import type { CodexConfig } from "@codex/config";
import type { AuthManager } from "@codex/login";

/** What of the config the login's ChatGPT backend settings follow. */
export type ChatgptBackendConfig = Pick<
  CodexConfig,
  "chatgptBaseUrl" | "features" | "agentIdentityAllowedHosts"
>;

/**
 * Points the login's ChatGPT backend settings at the config (base URL, `use_agent_identity`,
 * `agent_identity_allowed_hosts`) when they differ, so the Authorization decision and the agent
 * identity use the same backend as the turns. Returns whether it changed them.
 */
export function syncChatgptBackend(
  auth: Pick<AuthManager, "chatgptBackend" | "setChatgptBackend">,
  config: ChatgptBackendConfig,
): boolean {
  const current = auth.chatgptBackend;
  const mode = config.features.useAgentIdentity ? "enabled" : "disabled";
  const hosts = config.agentIdentityAllowedHosts;
  const sameHosts =
    (current.extraAllowedHosts ?? []).length === hosts.length &&
    hosts.every((h, i) => current.extraAllowedHosts?.[i] === h);
  if (
    current.baseUrl === config.chatgptBaseUrl &&
    (current.mode ?? "disabled") === mode &&
    sameHosts
  ) {
    return false;
  }
  auth.setChatgptBackend({ baseUrl: config.chatgptBaseUrl, mode, extraAllowedHosts: [...hosts] });
  return true;
}

import type { CodexConfig } from "@codex/config";
import type { AuthManager, AuthManagerOptions } from "@codex/login";
import type { CliConfig } from "./config.js";

/** A loaded configuration: the login commands' {@link CliConfig} view or the full CodexConfig. */
export type AuthConfig = CliConfig | CodexConfig;

/** What differs between the CLI's callers of `AuthManager.create`. */
export interface AuthManagerExtras {
  /** The environment the manager reads (`CODEX_API_KEY`, refresh URL override, proxies). */
  readonly env: NodeJS.ProcessEnv;
  /** Accept `CODEX_API_KEY` from `env` as a login (upstream `enable_codex_api_key_env`). */
  readonly enableCodexApiKeyEnv: boolean;
  /** `originator` of the browser login's authorize URL (default @codex/login's). */
  readonly originator?: string | undefined;
  /** OAuth issuer override (upstream's hidden `--experimental_issuer`). */
  readonly issuer?: string | undefined;
  /** OAuth client id override (upstream's hidden `--experimental_client-id`). */
  readonly clientId?: string | undefined;
}

/** The full CodexConfig behind `config`, if it was loaded (a CliConfig of defaults has none). */
function fullConfig(config: AuthConfig): CodexConfig | undefined {
  return "full" in config ? config.full : config;
}

/**
 * The one mapping of a loaded configuration to `AuthManager.create`'s options in the CLI: Codex
 * home, credential store, forced workspace and login method, and the ChatGPT backend settings
 * (`chatgpt_base_url`, `features.use_agent_identity`, `agent_identity_allowed_hosts`), plus the
 * caller's {@link AuthManagerExtras}.
 *
 * @example
 * authManagerOptions(config, { env: process.env, enableCodexApiKeyEnv: true }).storeMode; // "file"
 */
export function authManagerOptions(
  config: AuthConfig,
  extras: AuthManagerExtras,
): AuthManagerOptions {
  const full = fullConfig(config);
  return {
    codexHome: config.codexHome,
    storeMode: config.cliAuthCredentialsStore,
    env: extras.env,
    enableCodexApiKeyEnv: extras.enableCodexApiKeyEnv,
    forcedChatgptWorkspaceId: config.forcedChatgptWorkspaceId,
    forcedLoginMethod: config.forcedLoginMethod,
    chatgptBackend: {
      baseUrl: config.chatgptBaseUrl,
      mode: full?.features.useAgentIdentity === true ? "enabled" : "disabled",
      extraAllowedHosts: [...(full?.agentIdentityAllowedHosts ?? [])],
    },
    ...(extras.originator === undefined ? {} : { originator: extras.originator }),
    ...(extras.issuer === undefined ? {} : { issuer: extras.issuer }),
    ...(extras.clientId === undefined ? {} : { clientId: extras.clientId }),
  };
}

/**
 * `AuthManager.create` with {@link authManagerOptions}. @codex/login (HTTP, crypto) is imported
 * only when this runs, so importing this module stays light (`codex login status`).
 */
export async function createAuthManagerFromConfig(
  config: AuthConfig,
  extras: AuthManagerExtras,
): Promise<AuthManager> {
  const { AuthManager } = await import("@codex/login");
  return AuthManager.create(authManagerOptions(config, extras));
}

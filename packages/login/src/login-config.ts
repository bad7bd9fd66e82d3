import type { SessionSource } from "@codex/agent-identity";
import type { HttpClient } from "@codex/http";
import { type Logger, silentLogger } from "@codex/wire";
import type { BackgroundAgentTaskAuthMode } from "./agent-tasks/background-task-auth.js";
import { requireCodexHome } from "./codex-home.js";
import { LoginError, type LoginErrorCode } from "./errors.js";
import type { ExternalAuth } from "./external-auth.js";
import { DEFAULT_ORIGINATOR, resolveIssuer } from "./flows/oauth-defaults.js";
import { createLoginHttpClient } from "./internal/login-http-client.js";
import type {
  AuthCredentialsStoreMode,
  AuthStorage,
  AuthStorageWarningListener,
  CredentialLockOptions,
} from "./storage/auth-storage.js";
import { AUTH_CREDENTIALS_STORE_MODES } from "./storage/auth-storage.js";
import { createAuthStorage } from "./storage/create-auth-storage.js";
import { EphemeralAuthStorage } from "./storage/ephemeral-auth-storage.js";
import { storeKeyForCodexHome } from "./storage/store-key.js";
import { CLIENT_ID, type RefreshTarget, refreshTarget, refreshTokenUrl } from "./token-endpoint.js";

/** `forced_login_method`: `chatgpt` or `api`. */
export type ForcedLoginMethod = "chatgpt" | "api";

/** An environment: `process.env` or a plain record of variables. */
export type LoginEnv = Readonly<Record<string, string | undefined>>;

/** Deadline of the host refresher in external mode (10 s). */
export const DEFAULT_EXTERNAL_REFRESH_TIMEOUT_MS = 10_000;

/**
 * The ChatGPT backend settings of a manager (upstream `AuthManagerConfig`: `chatgpt_base_url` and
 * `BackgroundAgentTaskAuthMode` from `features.use_agent_identity`): the authorization-header
 * decision and the agent identity both use them.
 */
export interface ChatgptBackendSettings {
  /** The configured ChatGPT base URL; without one the header is always `Bearer`. */
  readonly baseUrl?: string | undefined;
  /** `enabled` when `features.use_agent_identity` is on (default `disabled`). */
  readonly mode?: BackgroundAgentTaskAuthMode | undefined;
  /** Hosts added to upstream's AgentAssertion allowlist (e.g. `127.0.0.1` for a loopback backend). */
  readonly extraAllowedHosts?: readonly string[] | undefined;
}

/** Options of `AuthManager.create`: everything login needs, given once. */
export interface AuthManagerOptions {
  /** The Codex home (see `resolveCodexHome`). */
  readonly codexHome: string;
  /** Credential store mode (default `file`). */
  readonly storeMode?: AuthCredentialsStoreMode | undefined;
  /**
   * A store to use instead of the one `storeMode` selects (embedding, tests); the manager's
   * `storeMode` is then `storage.mode`.
   */
  readonly storage?: AuthStorage | undefined;
  /**
   * Called with each store warning: in `auto` mode, the keyring failed and `auth.json` was used
   * (also logged, and readable as `AuthManager.storageFallback`).
   */
  readonly onStorageWarning?: AuthStorageWarningListener | undefined;
  /** Deadline of each keyring call (default 5 s). */
  readonly keyringTimeoutMs?: number | undefined;
  /** Environment of the keyring helper process (default `process.env`). */
  readonly keyringEnv?: NodeJS.ProcessEnv | undefined;
  /** Accept `CODEX_API_KEY` from `env` as a login source (upstream `enable_codex_api_key_env`). */
  readonly enableCodexApiKeyEnv?: boolean | undefined;
  /**
   * Environment (default `process.env`): `CODEX_API_KEY`, the refresh and revoke URL overrides,
   * proxies and the custom CA.
   */
  readonly env?: LoginEnv | undefined;
  /** Logger (default silent). */
  readonly logger?: Logger | undefined;
  /**
   * HTTP client for every call to the issuer and the ChatGPT backend (default: `@codex/http` over
   * one shared dispatcher, so proxies and `CODEX_CA_CERTIFICATE` / `SSL_CERT_FILE` apply; built on
   * first use).
   */
  readonly http?: HttpClient | undefined;
  /** OAuth issuer (default `https://auth.openai.com`); must be http(s). */
  readonly issuer?: string | undefined;
  /** Full refresh URL (default: env override, else `{issuer}/oauth/token`). */
  readonly refreshTokenUrl?: string | undefined;
  /** OAuth client id (default upstream's). */
  readonly clientId?: string | undefined;
  /** `originator` of the browser login's authorize URL (default `codex_cli_rs`). */
  readonly originator?: string | undefined;
  /** Default client headers for the refresh request (originator, User-Agent, residency). */
  readonly tokenEndpointHeaders?: Readonly<Record<string, string>> | undefined;
  /** Deadline of one refresh request (default 30 s). */
  readonly refreshTimeoutMs?: number | undefined;
  /** Clock (default `() => new Date()`). */
  readonly now?: (() => Date) | undefined;
  /** `forced_chatgpt_workspace_id`. */
  readonly forcedChatgptWorkspaceId?: string | undefined;
  /** `forced_login_method`. */
  readonly forcedLoginMethod?: ForcedLoginMethod | undefined;
  /** The host refresher for `chatgptAuthTokens` mode. */
  readonly externalAuth?: ExternalAuth | undefined;
  /** Deadline of the host refresher (default 10 s). */
  readonly externalRefreshTimeoutMs?: number | undefined;
  /**
   * ChatGPT backend settings: base URL and agent-identity mode, for the authorization header and
   * `agentIdentity()` (default: none → `Bearer`, agent identity off).
   */
  readonly chatgptBackend?: ChatgptBackendSettings | undefined;
  /** Session source recorded in the agent's bill of materials (default `cli`). */
  readonly sessionSource?: SessionSource | undefined;
  /**
   * How the file, keyring and auto stores wait for the credential locks shared with upstream codex
   * (`flock` on `auth.lock`, then `auth.json.lock`): the bound on waiting for `auth.lock` (default
   * 90 s) and a callback for each wait. The locks cannot be turned off.
   */
  readonly credentialLocks?: CredentialLockOptions | undefined;
}

/**
 * Everything login works with, resolved once from {@link AuthManagerOptions} by
 * {@link resolveLoginConfig}: the manager, its token refresh, the login flows, logout and the
 * agent identity all read it instead of taking the same options again.
 */
export interface LoginConfig {
  readonly codexHome: string;
  /** The configured credential store. */
  readonly storage: AuthStorage;
  readonly storeMode: AuthCredentialsStoreMode;
  /** The in-memory store of host-owned tokens (`chatgptAuthTokens`) for this home. */
  readonly hostTokens: EphemeralAuthStorage;
  /** The issuer, without trailing slashes. */
  readonly issuer: string;
  readonly clientId: string;
  /**
   * Where refreshes go: the explicit URL, else the env override (read at each refresh), else
   * `{issuer}/oauth/token`.
   */
  refreshTokenUrl(): string;
  /**
   * Where the refresh of credentials with `provenance` (their `tokens.oauth_provenance`) goes and
   * with which client id: the explicit URL, else the env override (read at each refresh), else
   * the provenance issuer, else the configured issuer; the provenance client id when present.
   */
  refreshTarget(
    provenance: { readonly issuer: string; readonly clientId: string } | undefined,
  ): RefreshTarget;
  readonly originator: string;
  readonly env: LoginEnv;
  readonly logger: Logger;
  readonly now: () => Date;
  /**
   * The HTTP client (the injected one, else the default over the shared dispatcher, built on
   * first use). When the custom CA cannot be loaded it throws a `LoginError` with `errorCode`,
   * its message starting with `errorPrefix`.
   */
  http(errorCode: LoginErrorCode, errorPrefix?: string): HttpClient;
  readonly enableCodexApiKeyEnv: boolean;
  readonly tokenEndpointHeaders: Readonly<Record<string, string>> | undefined;
  readonly refreshTimeoutMs: number | undefined;
  readonly externalRefreshTimeoutMs: number;
  readonly forcedLoginMethod: ForcedLoginMethod | undefined;
  readonly sessionSource: SessionSource | undefined;
}

function invalid(message: string): LoginError {
  return new LoginError("invalid_argument", message);
}

function positiveMs(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(value > 0) || value === Infinity) {
    throw invalid(`${name} must be a positive number of milliseconds`);
  }
  return value;
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "")
    throw invalid(`${name} must be a non-empty string`);
  return value;
}

/**
 * Checks the user's options and resolves every default once: the store (built here, and only
 * here), issuer, client id, refresh URL, HTTP client, logger, clock and environment.
 *
 * @throws {LoginError} `invalid_codex_home` for a missing or empty `codexHome`, `invalid_argument`
 *   for any other bad option.
 */
export function resolveLoginConfig(options: AuthManagerOptions): LoginConfig {
  if (options === null || typeof options !== "object") {
    throw invalid("AuthManager.create needs an options object");
  }
  const codexHome = requireCodexHome(options.codexHome);
  const refreshTimeoutMs = positiveMs("refreshTimeoutMs", options.refreshTimeoutMs);
  const externalRefreshTimeoutMs =
    positiveMs("externalRefreshTimeoutMs", options.externalRefreshTimeoutMs) ??
    DEFAULT_EXTERNAL_REFRESH_TIMEOUT_MS;
  if (options.now !== undefined && typeof options.now !== "function") {
    throw invalid("now must be a function returning a Date");
  }
  const custom = options.storage;
  if (
    custom !== undefined &&
    (typeof custom?.load !== "function" ||
      typeof custom.save !== "function" ||
      typeof custom.delete !== "function")
  ) {
    throw invalid("storage must implement load, save and delete");
  }
  if (
    options.storeMode !== undefined &&
    !AUTH_CREDENTIALS_STORE_MODES.includes(options.storeMode)
  ) {
    throw invalid("unknown credential store mode");
  }
  if (
    options.forcedLoginMethod !== undefined &&
    options.forcedLoginMethod !== "chatgpt" &&
    options.forcedLoginMethod !== "api"
  ) {
    throw invalid('forcedLoginMethod must be "chatgpt" or "api"');
  }
  if (options.env !== undefined && (options.env === null || typeof options.env !== "object")) {
    throw invalid("env must be an object of environment variables");
  }
  const clientId = optionalString("clientId", options.clientId) ?? CLIENT_ID;
  const originator = optionalString("originator", options.originator) ?? DEFAULT_ORIGINATOR;
  const explicitRefreshUrl = optionalString("refreshTokenUrl", options.refreshTokenUrl);
  const issuer = resolveIssuer(options.issuer);
  const env = options.env ?? process.env;
  const logger = options.logger ?? silentLogger;
  const storage =
    custom ??
    createAuthStorage({
      codexHome,
      mode: options.storeMode ?? "file",
      logger,
      keyringTimeoutMs: options.keyringTimeoutMs,
      keyringEnv: options.keyringEnv,
      onWarning: options.onStorageWarning,
      locks: options.credentialLocks,
    });
  const injected = options.http;
  let defaultHttp: HttpClient | undefined;
  return {
    codexHome,
    storage,
    storeMode: storage.mode,
    hostTokens: new EphemeralAuthStorage(storeKeyForCodexHome(codexHome)),
    issuer,
    clientId,
    refreshTokenUrl: () => explicitRefreshUrl ?? refreshTokenUrl(env, issuer),
    refreshTarget: (provenance) =>
      refreshTarget({ env, explicitUrl: explicitRefreshUrl, issuer, clientId, provenance }),
    originator,
    env,
    logger,
    now: options.now ?? (() => new Date()),
    http(errorCode, errorPrefix) {
      if (injected !== undefined) return injected;
      defaultHttp ??= createLoginHttpClient({ logger, env, errorCode, errorPrefix });
      return defaultHttp;
    },
    enableCodexApiKeyEnv: options.enableCodexApiKeyEnv === true,
    tokenEndpointHeaders: options.tokenEndpointHeaders,
    refreshTimeoutMs,
    externalRefreshTimeoutMs,
    forcedLoginMethod: options.forcedLoginMethod,
    sessionSource: options.sessionSource,
  };
}

import type { HttpClient } from "@codex/http";
import { type Logger, type Secret, silentLogger } from "@codex/wire";
import type { AuthDotJson } from "../auth-dot-json.js";
import { requireCodexHome } from "../codex-home.js";
import { LoginError } from "../errors.js";
import { type IdTokenInfo, parseIdToken } from "../id-token.js";
import { createLoginHttpClient } from "../internal/login-http-client.js";
import type { LoginConfig } from "../login-config.js";
import type { AuthCredentialsStoreMode, AuthStorage } from "../storage/auth-storage.js";
import { createAuthStorage } from "../storage/create-auth-storage.js";
import { type ExchangedTokens, exchangeAuthorizationCode } from "../token-endpoint.js";
import { CLIENT_ID, resolveIssuer } from "./oauth-defaults.js";
import { type LoginAuthManager, persistChatgptLogin } from "./persist-login.js";

/** Options shared by the login flows (browser login and device code). */
export interface LoginFlowOptions {
  /** Codex home whose store gets the credentials; not needed with `authManager` or `storage`. */
  readonly codexHome?: string | undefined;
  /** Credential store mode (default `file`); ignored when `storage` is given. */
  readonly storeMode?: AuthCredentialsStoreMode | undefined;
  /** Explicit credential store (default: `createAuthStorage({ codexHome, mode: storeMode })`). */
  readonly storage?: AuthStorage | undefined;
  /**
   * The process's `AuthManager`: its store is used (unless `storage` is given) and it is
   * reloaded after the credentials are saved, before `done` resolves.
   */
  readonly authManager?: LoginAuthManager | undefined;
  /** OAuth issuer (default `https://auth.openai.com`). */
  readonly issuer?: string | undefined;
  /** OAuth client id (default upstream's). */
  readonly clientId?: string | undefined;
  /** Allowed workspaces (`forced_chatgpt_workspace_id`); checked before persisting. */
  readonly forcedWorkspaceIds?: readonly string[] | undefined;
  /** Revoke the tokens this login supersedes (default true). */
  readonly revokeSuperseded?: boolean | undefined;
  /** Environment for revocation URL overrides, proxies and the custom CA (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** HTTP client for the issuer (default: `createLoginHttpClient`, custom CA and proxies, no originator or User-Agent). */
  readonly http?: HttpClient | undefined;
  /** Redacting logger (default silent). */
  readonly logger?: Logger | undefined;
  /** Clock (`last_refresh`, deadlines). */
  readonly now?: (() => Date) | undefined;
}

/** What a flow works with once its {@link LoginFlowOptions} are checked and defaulted. */
export interface LoginFlow {
  readonly issuer: string;
  readonly clientId: string;
  readonly logger: Logger;
  readonly http: HttpClient;
  readonly storage: AuthStorage;
  readonly now: () => Date;
  /** Exchanges an authorization code at the issuer and parses the returned id token. */
  exchangeCode(
    code: Secret,
    codeVerifier: Secret,
    redirectUri: string,
    signal: AbortSignal,
  ): Promise<{ tokens: ExchangedTokens; idToken: IdTokenInfo }>;
  /** Saves a completed ChatGPT login (revoking what it supersedes) and reloads the manager. */
  save(tokens: ExchangedTokens, idToken: IdTokenInfo, apiKey: Secret | null): Promise<AuthDotJson>;
}

/**
 * Checks the shared options (`invalid_argument` naming `fn`) and resolves their defaults.
 *
 * @throws {LoginError} `invalid_codex_home` without a store, a manager or a home;
 *   `invalid_argument` for other bad options.
 */
export function resolveLoginFlow(
  options: LoginFlowOptions,
  fn: string,
  component: string,
): LoginFlow {
  if (options === null || typeof options !== "object") {
    throw new LoginError("invalid_argument", `${fn} needs an options object`);
  }
  if (
    options.forcedWorkspaceIds !== undefined &&
    (!Array.isArray(options.forcedWorkspaceIds) ||
      !options.forcedWorkspaceIds.every((id) => typeof id === "string"))
  ) {
    throw new LoginError("invalid_argument", "forcedWorkspaceIds must be an array of strings");
  }
  const codexHome =
    options.storage === undefined && options.authManager === undefined
      ? requireCodexHome(options.codexHome)
      : options.codexHome;
  const issuer = resolveIssuer(options.issuer);
  const clientId = options.clientId ?? CLIENT_ID;
  const logger = (options.logger ?? silentLogger).child({ component });
  const http =
    options.http ??
    createLoginHttpClient({ logger, env: options.env, errorCode: "invalid_argument" });
  // The manager's store when there is a manager: a flow never builds a second store for it.
  const storage =
    options.storage ??
    options.authManager?.storage ??
    createAuthStorage({ codexHome: codexHome as string, mode: options.storeMode, logger });
  const now = options.now ?? (() => new Date());
  return {
    issuer,
    clientId,
    logger,
    http,
    storage,
    now,
    async exchangeCode(code, codeVerifier, redirectUri, signal) {
      const tokens = await exchangeAuthorizationCode({
        http,
        issuer,
        clientId,
        code,
        codeVerifier,
        redirectUri,
        signal,
      });
      return { tokens, idToken: parseIdToken(tokens.idToken.reveal()) };
    },
    async save(tokens, idToken, apiKey) {
      const saved = await persistChatgptLogin({
        storage,
        tokens,
        idToken,
        apiKey,
        now: now(),
        provenance: { issuer, clientId },
        revoke:
          (options.revokeSuperseded ?? true)
            ? { http, issuer, clientId, env: options.env }
            : undefined,
        logger,
      });
      await options.authManager?.reload();
      return saved;
    },
  };
}

/** The flow options of a manager: its store (no second one), issuer, client, clock, restriction. */
export function managerFlowOptions(
  config: LoginConfig,
  authManager: LoginAuthManager,
  forcedWorkspaceId: string | undefined,
): LoginFlowOptions {
  const { issuer, clientId, env, logger, now } = config;
  return {
    authManager,
    issuer,
    clientId,
    env,
    logger,
    now,
    http: config.http("invalid_argument"),
    forcedWorkspaceIds: forcedWorkspaceId === undefined ? undefined : [forcedWorkspaceId],
  };
}

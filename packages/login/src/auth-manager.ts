import type { HttpClient } from "@codex/http";
import { Secret } from "@codex/wire";
import { AGENT_IDENTITY_ERROR_CODE } from "./agent-tasks/agent-identity-client.js";
import { AgentIdentityManager } from "./agent-tasks/agent-identity-manager.js";
import {
  type ChatgptAuthorizationOptions,
  chatgptAuthorizationHeaderForAuth,
  chatgptRequestAuthHeaders,
} from "./agent-tasks/background-task-auth.js";
import type { AuthDotJson } from "./auth-dot-json.js";
import { CodexAuth } from "./codex-auth.js";
import { authFilePath } from "./codex-home.js";
import { LoginError, toLoginError } from "./errors.js";
import type { ExternalAuth } from "./external-auth.js";
import { hostTokensAuthDotJson, refreshExternalTokens } from "./external-refresh.js";
import { type DeviceCodeLogin, startDeviceCodeLogin } from "./flows/device-code-login.js";
import type { LoginFlowOptions } from "./flows/login-flow-options.js";
import { type LoginServer, startLoginServer } from "./flows/login-server.js";
import { type LogoutResult, logoutWithRevoke } from "./flows/logout.js";
import {
  type AuthManagerOptions,
  type ChatgptBackendSettings,
  type ForcedLoginMethod,
  type LoginConfig,
  resolveLoginConfig,
} from "./login-config.js";
import {
  checkForcedWorkspace,
  checkLoginMethod,
  enforceLoginRestrictions,
} from "./login-restrictions.js";
import type {
  LogoutOptions,
  StartBrowserLoginOptions,
  StartDeviceCodeLoginOptions,
} from "./manager-options.js";
import type {
  AuthCredentialsStoreMode,
  AuthStorage,
  AuthStorageWarning,
} from "./storage/auth-storage.js";
import { AutoAuthStorage } from "./storage/auto-auth-storage.js";
import { TokenRefresh } from "./token-refresh.js";
import { UnauthorizedRecovery } from "./unauthorized-recovery.js";

/** Listener of auth-state changes. */
export type AuthStateListener = (auth: CodexAuth | undefined) => void;

/**
 * The one way into `@codex/login`: made from one resolved configuration, it holds one cached
 * snapshot of the credentials per process and every operation on them (logins, logout with
 * revoke, refresh, 401 recovery, agent identity). Every write goes through it, so its view is
 * never stale. Token refresh lives in `token-refresh.ts`, host-token refresh in
 * `external-refresh.ts`, restrictions in `login-restrictions.ts`; this class caches, notifies
 * and delegates.
 *
 * @example
 * ```ts
 * const manager = await AuthManager.create({ codexHome: resolveCodexHome() });
 * const login = await manager.startDeviceCodeLogin();
 * console.log(`Open ${login.verificationUrl} and enter ${login.userCode}`);
 * await login.done;
 * const auth = await manager.auth();
 * ```
 */
export class AuthManager {
  readonly #config: LoginConfig;
  readonly #refresh: TokenRefresh;
  readonly #listeners = new Set<AuthStateListener>();
  #cached: CodexAuth | undefined;
  #loadError: LoginError | undefined;
  #forcedWorkspaceId: string | undefined;
  #externalAuth: ExternalAuth | undefined;
  #chatgptBackend: ChatgptBackendSettings;
  #agents: AgentIdentityManager | undefined;

  private constructor(options: AuthManagerOptions) {
    this.#config = resolveLoginConfig(options);
    this.#forcedWorkspaceId = options.forcedChatgptWorkspaceId;
    this.#externalAuth = options.externalAuth;
    this.#chatgptBackend = { ...options.chatgptBackend };
    this.#refresh = new TokenRefresh({
      config: this.#config,
      cached: () => this.#cached,
      adopt: (auth) => this.#setCached(auth),
      reload: () => this.reload(),
      refreshExternal: () => this.#refreshExternal(),
    });
  }

  /**
   * Resolves the configuration, creates the manager and loads the credentials once. A load
   * failure (corrupt file, keyring timeout) leaves the manager logged out, keeps the error in
   * {@link loadError}, and never touches the stored data.
   *
   * @throws {LoginError} `invalid_codex_home` for a missing or empty `codexHome`,
   *   `invalid_argument` for any other bad option.
   */
  static async create(options: AuthManagerOptions): Promise<AuthManager> {
    const manager = new AuthManager(options);
    await manager.reload();
    return manager;
  }

  /** The Codex home. */
  get codexHome(): string {
    return this.#config.codexHome;
  }
  /** The configured store mode. */
  get storeMode(): AuthCredentialsStoreMode {
    return this.#config.storeMode;
  }
  /** The configured store. */
  get storage(): AuthStorage {
    return this.#config.storage;
  }
  /** Path of auth.json for this manager's home. */
  get authFilePath(): string {
    return authFilePath(this.#config.codexHome);
  }
  /**
   * In `auto` mode, the warning of the last keyring failure that sent the store to `auth.json`
   * (`undefined` while the keyring works, and in other modes); set by {@link create} already.
   */
  get storageFallback(): AuthStorageWarning | undefined {
    return this.storage instanceof AutoAuthStorage ? this.storage.fallback : undefined;
  }
  /** The error of the last load, if it failed. */
  get loadError(): LoginError | undefined {
    return this.#loadError;
  }
  /** The forced login method, if any. */
  get forcedLoginMethod(): ForcedLoginMethod | undefined {
    return this.#config.forcedLoginMethod;
  }
  /** The forced workspace id, if any. */
  get forcedChatgptWorkspaceId(): string | undefined {
    return this.#forcedWorkspaceId;
  }
  /** Changes the forced workspace id (notifies subscribers). */
  setForcedChatgptWorkspaceId(id: string | undefined): void {
    this.#forcedWorkspaceId = id;
    this.#notify();
  }
  /** The ChatGPT backend settings (base URL, agent-identity mode, extra allowed hosts). */
  get chatgptBackend(): ChatgptBackendSettings {
    return this.#chatgptBackend;
  }
  /** Changes the ChatGPT backend settings (notifies subscribers, like upstream). */
  setChatgptBackend(settings: ChatgptBackendSettings): void {
    this.#chatgptBackend = { ...settings };
    this.#agents = undefined;
    this.#notify();
  }
  /** Installs (or removes) the host refresher for `chatgptAuthTokens` mode. */
  setExternalAuth(externalAuth: ExternalAuth | undefined): void {
    this.#externalAuth = externalAuth;
  }

  /**
   * The `Authorization` value of a ChatGPT backend call with `auth` (upstream
   * `chatgpt_authorization_header_for_auth`): `undefined` for non-ChatGPT auth, `AgentAssertion …`
   * when agent identity is enabled, the base URL allowed and a task stored, else `Bearer …`.
   */
  chatgptAuthorizationHeaderForAuth(auth: CodexAuth | undefined): Promise<string | undefined> {
    return chatgptAuthorizationHeaderForAuth(auth, this.#authorizationOptions());
  }
  /** {@link chatgptAuthorizationHeaderForAuth} for {@link auth}(). */
  async chatgptAuthorizationHeader(): Promise<string | undefined> {
    return this.chatgptAuthorizationHeaderForAuth(await this.auth());
  }
  /**
   * The auth headers of a ChatGPT backend request for `auth` (default {@link auth}()):
   * `authorization`, plus `chatgpt-account-id` only with a Bearer value.
   */
  async chatgptRequestAuthHeaders(auth?: CodexAuth): Promise<Record<string, string>> {
    return chatgptRequestAuthHeaders(auth ?? (await this.auth()), this.#authorizationOptions());
  }
  #authorizationOptions(): ChatgptAuthorizationOptions {
    const backend = this.#chatgptBackend;
    return {
      mode: backend.mode,
      chatgptBaseUrl: backend.baseUrl,
      extraAllowedHosts: backend.extraAllowedHosts,
      forcedWorkspaceId: this.#forcedWorkspaceId,
      logger: this.#config.logger,
      now: this.#config.now,
    };
  }

  /**
   * The agent identity of the signed-in ChatGPT account (`features.use_agent_identity`: enabled
   * by `chatgptBackend.mode`), against `chatgptBackend.baseUrl`. Its writes reload this manager.
   *
   * @throws {LoginError} `invalid_argument` when no ChatGPT base URL is configured.
   */
  agentIdentity(): AgentIdentityManager {
    const baseUrl = this.#chatgptBackend.baseUrl;
    if (typeof baseUrl !== "string" || baseUrl.trim() === "") {
      throw new LoginError("invalid_argument", "agentIdentity() needs chatgptBackend.baseUrl");
    }
    this.#agents ??= new AgentIdentityManager({
      auth: () => this.auth(),
      forcedWorkspaceId: () => this.#forcedWorkspaceId,
      chatgptBaseUrl: baseUrl,
      enabled: this.#chatgptBackend.mode === "enabled",
      sessionSource: this.#config.sessionSource,
      http: this.#config.http(AGENT_IDENTITY_ERROR_CODE),
      logger: this.#config.logger,
      now: this.#config.now,
      onSaved: () => this.reload(),
    });
    return this.#agents;
  }

  /** The cached auth, without any refresh. */
  authCached(): CodexAuth | undefined {
    return this.#cached;
  }

  /**
   * The current auth. Managed ChatGPT auth is refreshed first when its access token expires
   * within 5 minutes (or, without a readable `exp`, `last_refresh` is over 8 days old); a failed
   * refresh is logged and the old credentials are returned.
   */
  async auth(): Promise<CodexAuth | undefined> {
    const auth = this.#cached;
    if (auth?.apiAuthMode !== "chatgpt" || !this.#refresh.isDue(auth)) return auth;
    try {
      await this.refreshToken();
    } catch (err) {
      this.#config.logger.warn(`Failed to refresh token: ${(err as Error).message}`);
    }
    return this.#cached;
  }

  /**
   * Reloads the credentials from the stores (only needed after another program changed them).
   * Returns true only when the mode or the presence of credentials changed.
   */
  async reload(): Promise<boolean> {
    let next: CodexAuth | undefined;
    try {
      next = await this.#loadAuth();
      this.#loadError = undefined;
    } catch (err) {
      this.#loadError = toLoginError(err, "auth_file_unreadable", "failed to load credentials");
      this.#config.logger.warn(`failed to load credentials: ${this.#loadError.message}`);
      next = undefined;
    }
    return this.#setCached(next);
  }

  async #loadAuth(): Promise<CodexAuth | undefined> {
    const { enableCodexApiKeyEnv, env, hostTokens, storeMode, storage } = this.#config;
    if (enableCodexApiKeyEnv) {
      const key = env.CODEX_API_KEY?.trim();
      if (key) return CodexAuth.fromApiKey(key);
    }
    const host = await hostTokens.load();
    if (host) return CodexAuth.fromAuthDotJson(host, hostTokens);
    if (storeMode === "ephemeral") return undefined;
    const stored = await storage.load();
    return stored ? CodexAuth.fromAuthDotJson(stored, storage) : undefined;
  }

  #setCached(next: CodexAuth | undefined): boolean {
    const prev = this.#cached;
    const changed = prev === undefined ? next !== undefined : !prev.equals(next);
    this.#refresh.cacheChanged(prev, next);
    this.#cached = next;
    this.#notify();
    return changed;
  }

  /** Subscribes to auth-state changes; fires on every cache set. Returns the unsubscribe. */
  subscribe(listener: AuthStateListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(this.#cached);
      } catch (err) {
        this.#config.logger.warn(`auth state listener failed: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Guarded refresh: a rotation another process already stored (same account) is adopted without
   * a network call; otherwise the token endpoint is called. Concurrent calls share one refresh.
   *
   * @throws {LoginError} `account_mismatch`, a permanent refresh code, or `refresh_failed`.
   */
  refreshToken(): Promise<void> {
    return this.#refresh.run(undefined, true);
  }
  /** Refresh without reloading first (still adopting a rotation seen under the lock). */
  refreshTokenFromAuthority(): Promise<void> {
    return this.#refresh.run(undefined, false);
  }

  async #refreshExternal(): Promise<void> {
    const dot = await refreshExternalTokens({
      provider: this.#externalAuth,
      previous: this.#cached?.getCurrentAuthJson(),
      timeoutMs: this.#config.externalRefreshTimeoutMs,
      forcedWorkspaceId: this.#forcedWorkspaceId,
      now: this.#config.now,
    });
    await this.#config.hostTokens.save(dot);
    await this.reload();
  }

  /** A recovery for one request that got HTTP 401 (call `next()` once per 401 while `hasNext()`). */
  unauthorizedRecovery(): UnauthorizedRecovery {
    return new UnauthorizedRecovery({
      cached: () => this.#cached,
      hasExternalAuth: () => this.#externalAuth !== undefined,
      reloadIfAccountIs: (accountId) => this.#refresh.reloadIfAccountIs(accountId),
      refreshFromAuthority: (seen) => this.#refresh.run(seen, false),
      refreshExternal: (seen) => this.#refresh.run(seen, false),
    });
  }

  /** True while host-owned tokens are active. */
  hasExternalAuthTokens(): boolean {
    return this.#cached?.apiAuthMode === "chatgptAuthTokens";
  }

  /** The login-flow options of this manager: its store, issuer, client, clock, restrictions. */
  #flow(): LoginFlowOptions {
    checkLoginMethod(this.#config.forcedLoginMethod, "chatgpt");
    const { issuer, clientId, env, logger, now } = this.#config;
    const forced = this.#forcedWorkspaceId;
    return {
      authManager: this,
      issuer,
      clientId,
      env,
      logger,
      now,
      http: this.#config.http("invalid_argument"),
      forcedWorkspaceIds: forced === undefined ? undefined : [forced],
    };
  }

  /**
   * Starts a device-code login: show `verificationUrl` and `userCode`; `done` settles once the
   * user approved and the credentials were saved here (revoking the ones they supersede).
   *
   * @throws {LoginError} `login_restricted` when API-key login is forced; the flow's codes.
   */
  async startDeviceCodeLogin(options: StartDeviceCodeLoginOptions = {}): Promise<DeviceCodeLogin> {
    return startDeviceCodeLogin({ ...options, ...this.#flow() });
  }

  /**
   * Starts the browser login (PKCE) on a loopback server: open `authUrl`; `done` settles once the
   * browser came back and the credentials were saved here.
   *
   * @throws {LoginError} `login_restricted`, `port_in_use`; the flow's codes.
   */
  async startBrowserLogin(options: StartBrowserLoginOptions = {}): Promise<LoginServer> {
    return startLoginServer({ ...options, ...this.#flow(), originator: this.#config.originator });
  }

  /**
   * Logs in with an API key: writes it to the configured store and reloads.
   *
   * @throws {LoginError} `invalid_argument` (empty key), `login_restricted` (ChatGPT forced).
   */
  async loginWithApiKey(apiKey: string | Secret): Promise<void> {
    const key = typeof apiKey === "string" ? new Secret(apiKey) : apiKey;
    if (!Secret.is(key) || key.reveal().trim() === "") {
      throw new LoginError("invalid_argument", "API key must be a non-empty string");
    }
    checkLoginMethod(this.#config.forcedLoginMethod, "api");
    await this.saveAuth({ authMode: "apikey", openaiApiKey: key });
  }

  /**
   * Installs host-owned tokens (`chatgptAuthTokens`): kept in memory only, taking precedence over
   * stored credentials. The access token must be a JWT.
   *
   * @throws {LoginError} `invalid_argument`, `invalid_id_token`, `login_restricted`.
   */
  async loginWithChatgptAuthTokens(
    accessToken: string | Secret,
    accountId: string,
    planType?: string,
  ): Promise<void> {
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
    checkLoginMethod(this.#config.forcedLoginMethod, "chatgpt");
    checkForcedWorkspace(this.#forcedWorkspaceId, accountId, "login");
    const now = this.#config.now();
    await this.#config.hostTokens.save(
      hostTokensAuthDotJson(token, accountId, planType, undefined, now),
    );
    await this.reload();
  }

  /** Saves credentials to the configured store and reloads (what the login flows call). */
  async saveAuth(auth: AuthDotJson): Promise<void> {
    await this.storage.save(auth);
    await this.reload();
  }

  /**
   * Logs out: with `revoke`, first revokes the managed refresh (else access) token at the issuer,
   * best effort (host-owned tokens are never revoked and cleared from memory only); then removes
   * host tokens and the configured store's credentials and reloads (also when clearing the store
   * fails, e.g. `keyring_unavailable`, which is then thrown).
   */
  async logout(options: LogoutOptions = {}): Promise<LogoutResult> {
    if (options.revoke === true) {
      const { issuer, clientId, env, logger, hostTokens } = this.#config;
      let http: HttpClient | undefined;
      try {
        http = this.#config.http("revoke_failed");
      } catch {
        http = undefined; // logoutWithRevoke reports it and still logs out
      }
      return logoutWithRevoke(this, { issuer, clientId, env, logger, hostTokens, http });
    }
    let removed = await this.#config.hostTokens.delete();
    try {
      if (this.storeMode !== "ephemeral") removed = (await this.storage.delete()) || removed;
    } finally {
      // even when the store could not be cleared, the cache must not keep serving what was removed
      await this.reload();
    }
    return { removed, revoke: "skipped" };
  }

  /**
   * Startup enforcement of `forced_login_method` and `forced_chatgpt_workspace_id`; on a
   * violation every store is cleared.
   *
   * @throws {LoginError} code `login_restricted`.
   */
  enforceLoginRestrictions(): Promise<void> {
    return enforceLoginRestrictions({
      method: this.#config.forcedLoginMethod,
      workspace: this.#forcedWorkspaceId,
      env: this.#config.env,
      load: () => this.#loadAuth(),
      logout: () => this.logout(),
    });
  }
}

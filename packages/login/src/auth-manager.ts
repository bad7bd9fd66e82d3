import type { Secret } from "@codex/wire";
import type { AgentIdentityManager } from "./agent-tasks/agent-identity-manager.js";
import {
  chatgptAuthorizationHeaderForAuth,
  chatgptRequestAuthHeaders,
} from "./agent-tasks/background-task-auth.js";
import type { AuthDotJson } from "./auth-dot-json.js";
import {
  authorizationOptions,
  type ChatgptBackendState,
  createAgentIdentity,
} from "./chatgpt-backend.js";
import type { CodexAuth } from "./codex-auth.js";
import { authFilePath } from "./codex-home.js";
import { apiKeyLogin, hostTokensLogin } from "./credential-logins.js";
import { type LoginError, toLoginError } from "./errors.js";
import type { ExternalAuth } from "./external-auth.js";
import { type DeviceCodeLogin, startDeviceCodeLogin } from "./flows/device-code-login.js";
import { type LoginFlowOptions, managerFlowOptions } from "./flows/login-flow-options.js";
import { type LoginServer, startLoginServer } from "./flows/login-server.js";
import { clearCredentials, type LogoutResult, logoutWithRevokeFor } from "./flows/logout.js";
import { Listeners } from "./internal/listeners.js";
import {
  type AuthManagerOptions,
  type ChatgptBackendSettings,
  type ForcedLoginMethod,
  type LoginConfig,
  resolveLoginConfig,
} from "./login-config.js";
import { checkLoginMethod, enforceLoginRestrictions } from "./login-restrictions.js";
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
import { loadAuth } from "./storage/load-auth.js";
import { TokenRefresh } from "./token-refresh.js";
import { UnauthorizedRecovery } from "./unauthorized-recovery.js";

/** Listener of auth-state changes. */
export type AuthStateListener = (auth: CodexAuth | undefined) => void;

/**
 * The one way into `@codex/login`, made from one resolved configuration: one cached snapshot of
 * the credentials per process, and every operation on them (logins, logout with revoke, refresh,
 * 401 recovery, agent identity). Every write goes through it, so its view is never stale. It
 * caches, notifies and delegates: refresh to `token-refresh.ts`, host tokens to
 * `external-refresh.ts`, restrictions to `login-restrictions.ts`, flows to `flows/`.
 *
 * @example
 * ```ts
 * const manager = await AuthManager.create({ codexHome: resolveCodexHome() });
 * await (await manager.startDeviceCodeLogin()).done; // after showing its URL and code
 * ```
 */
export class AuthManager {
  /** The Codex home. */
  readonly codexHome: string;
  /** The configured store and its mode. */
  readonly storage: AuthStorage;
  readonly storeMode: AuthCredentialsStoreMode;
  /** Path of auth.json for this manager's home. */
  readonly authFilePath: string;
  /** The forced login method, if any. */
  readonly forcedLoginMethod: ForcedLoginMethod | undefined;
  readonly #config: LoginConfig;
  readonly #refresh: TokenRefresh;
  readonly #listeners: Listeners<CodexAuth | undefined>;
  #cached: CodexAuth | undefined;
  #loadError: LoginError | undefined;
  #forcedWorkspaceId: string | undefined;
  #externalAuth: ExternalAuth | undefined;
  #chatgptBackend: ChatgptBackendSettings;
  #agents: AgentIdentityManager | undefined;

  private constructor(options: AuthManagerOptions) {
    const config = resolveLoginConfig(options);
    this.#config = config;
    this.#listeners = new Listeners(config.logger);
    this.codexHome = config.codexHome;
    this.storage = config.storage;
    this.storeMode = config.storeMode;
    this.authFilePath = authFilePath(config.codexHome);
    this.forcedLoginMethod = config.forcedLoginMethod;
    this.#forcedWorkspaceId = options.forcedChatgptWorkspaceId;
    this.#externalAuth = options.externalAuth;
    this.#chatgptBackend = { ...options.chatgptBackend };
    this.#refresh = new TokenRefresh({
      config: this.#config,
      cached: () => this.#cached,
      adopt: (auth) => this.#setCached(auth),
      reload: () => this.reload(),
      externalAuth: () => this.#externalAuth,
      forcedWorkspaceId: () => this.#forcedWorkspaceId,
    });
  }

  /**
   * Resolves the configuration and loads the credentials once; a load failure leaves the manager
   * logged out with the error in {@link loadError}, the stored data untouched.
   *
   * @throws {LoginError} `invalid_codex_home` for a missing or empty `codexHome`,
   *   `invalid_argument` for any other bad option.
   */
  static async create(options: AuthManagerOptions): Promise<AuthManager> {
    const manager = new AuthManager(options);
    await manager.reload();
    return manager;
  }

  /** In `auto` mode, the last keyring failure that sent the store to `auth.json`, if any. */
  get storageFallback(): AuthStorageWarning | undefined {
    return this.storage instanceof AutoAuthStorage ? this.storage.fallback : undefined;
  }
  /** The error of the last load, if it failed (the manager is then logged out). */
  get loadError(): LoginError | undefined {
    return this.#loadError;
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
    return chatgptAuthorizationHeaderForAuth(auth, authorizationOptions(this.#backendState()));
  }
  /** {@link chatgptAuthorizationHeaderForAuth} for {@link auth}(). */
  async chatgptAuthorizationHeader(): Promise<string | undefined> {
    return this.chatgptAuthorizationHeaderForAuth(await this.auth());
  }
  /** Headers of a ChatGPT call: `authorization`, plus `chatgpt-account-id` with a Bearer value. */
  async chatgptRequestAuthHeaders(auth?: CodexAuth): Promise<Record<string, string>> {
    const options = authorizationOptions(this.#backendState());
    return chatgptRequestAuthHeaders(auth ?? (await this.auth()), options);
  }
  #backendState(): ChatgptBackendState {
    const forced = () => this.#forcedWorkspaceId;
    return { config: this.#config, backend: this.#chatgptBackend, forcedWorkspaceId: forced };
  }

  /**
   * The agent identity (on with `chatgptBackend.mode`, at `chatgptBackend.baseUrl`); its writes
   * reload this manager.
   * @throws {LoginError} `invalid_argument` without a base URL.
   */
  agentIdentity(): AgentIdentityManager {
    this.#agents ??= createAgentIdentity(
      this.#backendState(),
      () => this.auth(),
      () => this.reload(),
    );
    return this.#agents;
  }

  /** The cached auth, without any refresh. */
  authCached(): CodexAuth | undefined {
    return this.#cached;
  }

  /** The current auth, managed ChatGPT tokens refreshed first when due (a failure is logged). */
  async auth(): Promise<CodexAuth | undefined> {
    const auth = this.#cached;
    if (auth?.apiAuthMode !== "chatgpt" || !this.#refresh.isDue(auth)) return auth;
    try {
      await this.#refresh.run(undefined, true, "proactive_expiry");
    } catch (err) {
      this.#config.logger.warn(`Failed to refresh token: ${(err as Error).message}`);
    }
    return this.#cached;
  }

  /** Reloads from the stores (after another program wrote); true when mode or presence changed. */
  async reload(): Promise<boolean> {
    let next: CodexAuth | undefined;
    try {
      next = await loadAuth(this.#config);
      this.#loadError = undefined;
    } catch (err) {
      this.#loadError = toLoginError(err, "auth_file_unreadable", "failed to load credentials");
      this.#config.logger.warn(`failed to load credentials: ${this.#loadError.message}`);
      next = undefined;
    }
    return this.#setCached(next);
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
    return this.#listeners.add(listener);
  }

  #notify(): void {
    this.#listeners.emit(this.#cached);
  }

  /**
   * Guarded refresh, shared by concurrent callers (see `token-refresh.ts`).
   * @throws {LoginError} `account_mismatch`, a permanent refresh code, or `refresh_failed`.
   */
  refreshToken(): Promise<void> {
    return this.#refresh.run(undefined, true);
  }
  /** Refresh without reloading first (still adopting a rotation seen under the lock). */
  refreshTokenFromAuthority(): Promise<void> {
    return this.#refresh.run(undefined, false);
  }

  /** The recovery of one request that got HTTP 401: `next()` once per 401 while `hasNext()`. */
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

  #flow(): LoginFlowOptions {
    checkLoginMethod(this.#config.forcedLoginMethod, "chatgpt");
    return managerFlowOptions(this.#config, this, this.#forcedWorkspaceId);
  }

  /**
   * Device-code login: show `verificationUrl` and `userCode`; `done` settles once saved here.
   * @throws {LoginError} `login_restricted` when API-key login is forced; the flow's codes.
   */
  async startDeviceCodeLogin(options: StartDeviceCodeLoginOptions = {}): Promise<DeviceCodeLogin> {
    return startDeviceCodeLogin({ ...options, ...this.#flow() });
  }

  /**
   * Browser login (PKCE, loopback server): open `authUrl`; `done` settles once saved here.
   * @throws {LoginError} `login_restricted`, `port_in_use`; the flow's codes.
   */
  async startBrowserLogin(options: StartBrowserLoginOptions = {}): Promise<LoginServer> {
    return startLoginServer({ ...options, ...this.#flow(), originator: this.#config.originator });
  }

  /**
   * Logs in with an API key (saved to the store).
   * @throws {LoginError} `invalid_argument`, `login_restricted`.
   */
  async loginWithApiKey(apiKey: string | Secret): Promise<void> {
    await this.saveAuth(apiKeyLogin(apiKey, this.#config.forcedLoginMethod));
  }

  /**
   * Installs host-owned tokens (`chatgptAuthTokens`, a JWT), in memory only, over stored ones.
   * @throws {LoginError} `invalid_argument`, `invalid_id_token`, `login_restricted`.
   */
  async loginWithChatgptAuthTokens(
    accessToken: string | Secret,
    accountId: string,
    planType?: string,
  ): Promise<void> {
    const dot = hostTokensLogin(accessToken, accountId, planType, {
      forcedLoginMethod: this.#config.forcedLoginMethod,
      forcedWorkspaceId: this.#forcedWorkspaceId,
      now: this.#config.now(),
    });
    await this.#config.hostTokens.save(dot);
    await this.reload();
  }

  /** Saves credentials to the configured store and reloads (what the login flows call). */
  async saveAuth(auth: AuthDotJson): Promise<void> {
    await this.storage.save(auth);
    await this.reload();
  }

  /**
   * Logs out: with `revoke`, first revokes the managed tokens at the issuer (best effort; host
   * tokens are only dropped from memory), then clears the stores and reloads (also when that fails).
   */
  async logout(options: LogoutOptions = {}): Promise<LogoutResult> {
    if (options.revoke === true) return logoutWithRevokeFor(this, this.#config);
    try {
      return { removed: await clearCredentials(this.#config), revoke: "skipped" };
    } finally {
      // even when the store could not be cleared, the cache must not keep serving what was removed
      await this.reload();
    }
  }

  /** Startup check of the forced login method and workspace: a violation logs out and throws. */
  async enforceLoginRestrictions(): Promise<void> {
    await enforceLoginRestrictions({
      method: this.#config.forcedLoginMethod,
      workspace: this.#forcedWorkspaceId,
      env: this.#config.env,
      load: () => loadAuth(this.#config),
      logout: () => this.logout(),
    });
  }
}

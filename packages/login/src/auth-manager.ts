import type { HttpClient } from "@codex/http";
import { type Logger, Secret, silentLogger } from "@codex/wire";
import {
  type BackgroundAgentTaskAuthMode,
  type ChatgptAuthorizationOptions,
  chatgptAuthorizationHeaderForAuth,
  chatgptRequestAuthHeaders,
} from "./agent-tasks/background-task-auth.js";
import { type AuthDotJson, authDotJsonEquals } from "./auth-dot-json.js";
import { CodexAuth } from "./codex-auth.js";
import { authFilePath, refreshLockPath } from "./codex-home.js";
import { LoginError } from "./errors.js";
import type { ExternalAuth, ExternalAuthTokens } from "./external-auth.js";
import { parseIdToken } from "./id-token.js";
import { parseJwtExpiration } from "./internal/jwt.js";
import { createLoginHttpClient } from "./internal/login-http-client.js";
import {
  formatTimestamp,
  parseTimestamp,
  timestampFromDate,
  timestampToMillis,
} from "./internal/timestamp.js";
import { planTypeFromRawValue } from "./plan-type.js";
import { acquireRefreshLock, type RefreshLock, type RefreshLockOptions } from "./refresh-lock.js";
import type {
  AuthCredentialsStoreMode,
  AuthStorage,
  AuthStorageWarning,
  AuthStorageWarningListener,
} from "./storage/auth-storage.js";
import { AutoAuthStorage } from "./storage/auto-auth-storage.js";
import { createAuthStorage } from "./storage/create-auth-storage.js";
import { EphemeralAuthStorage } from "./storage/ephemeral-auth-storage.js";
import { storeKeyForCodexHome } from "./storage/store-key.js";
import { REFRESH_FAILURE_MESSAGES, refreshTokens, refreshTokenUrl } from "./token-endpoint.js";
import { UnauthorizedRecovery } from "./unauthorized-recovery.js";

/** `forced_login_method`: `chatgpt` or `api`. */
export type ForcedLoginMethod = "chatgpt" | "api";

/** Refresh the access token when its `exp` is within this window (upstream: 5 minutes). */
export const ACCESS_TOKEN_REFRESH_WINDOW_MS = 5 * 60 * 1000;
/** Without a readable `exp`: refresh when `last_refresh` is older than this (8 days). */
export const TOKEN_REFRESH_INTERVAL_MS = 8 * 24 * 60 * 60 * 1000;
/** Deadline of the host refresher in external mode (10 s). */
export const DEFAULT_EXTERNAL_REFRESH_TIMEOUT_MS = 10_000;

/** Options of {@link AuthManager.create}. */
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
   * (also logged, and readable as {@link AuthManager.storageFallback}).
   */
  readonly onStorageWarning?: AuthStorageWarningListener | undefined;
  /** Deadline of each keyring call (default 5 s). */
  readonly keyringTimeoutMs?: number | undefined;
  /** Environment of the keyring helper process (default `process.env`). */
  readonly keyringEnv?: NodeJS.ProcessEnv | undefined;
  /** Accept `CODEX_API_KEY` from `env` as a login source (upstream `enable_codex_api_key_env`). */
  readonly enableCodexApiKeyEnv?: boolean | undefined;
  /** Environment (default `process.env`): `CODEX_API_KEY`, `CODEX_REFRESH_TOKEN_URL_OVERRIDE`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Logger (default silent). */
  readonly logger?: Logger | undefined;
  /**
   * HTTP client for the token endpoint (default: `createLoginHttpClient`, the shared dispatcher, so
   * proxies and `CODEX_CA_CERTIFICATE` / `SSL_CERT_FILE` apply; built on first refresh).
   */
  readonly http?: HttpClient | undefined;
  /** OAuth issuer (default `https://auth.openai.com`). */
  readonly issuer?: string | undefined;
  /** Full refresh URL (default: env override, else `{issuer}/oauth/token`). */
  readonly refreshTokenUrl?: string | undefined;
  /** OAuth client id. */
  readonly clientId?: string | undefined;
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
  /** ChatGPT backend settings for the authorization-header decision (default: none → `Bearer`). */
  readonly chatgptBackend?: ChatgptBackendSettings | undefined;
  /** Cross-process refresh lock options, or `false` to disable the lock. */
  readonly refreshLock?: RefreshLockOptions | false | undefined;
}

/**
 * The ChatGPT backend settings of a manager (upstream `AuthManagerConfig`: `chatgpt_base_url` and
 * `BackgroundAgentTaskAuthMode` from `features.use_agent_identity`), used by
 * {@link AuthManager.chatgptAuthorizationHeaderForAuth}.
 */
export interface ChatgptBackendSettings {
  /** The configured ChatGPT base URL; without one the header is always `Bearer`. */
  readonly baseUrl?: string | undefined;
  /** `enabled` when `features.use_agent_identity` is on (default `disabled`). */
  readonly mode?: BackgroundAgentTaskAuthMode | undefined;
  /** Hosts added to upstream's AgentAssertion allowlist (e.g. `127.0.0.1` for a loopback backend). */
  readonly extraAllowedHosts?: readonly string[] | undefined;
}

/** Listener of auth-state changes. */
export type AuthStateListener = (auth: CodexAuth | undefined) => void;

interface PermanentFailure {
  readonly snapshot: AuthDotJson;
  readonly error: LoginError;
}

function accountMismatch(): LoginError {
  return new LoginError("account_mismatch", REFRESH_FAILURE_MESSAGES.account_mismatch);
}

/**
 * One cached snapshot of the credentials per process, with refresh (single flight in-process,
 * lock file across processes), 401 recovery, login/logout and change notifications.
 *
 * @example
 * ```ts
 * const manager = await AuthManager.create({ codexHome: resolveCodexHome() });
 * const auth = await manager.auth();
 * ```
 */
export class AuthManager {
  /** The Codex home. */
  readonly codexHome: string;
  /** The configured store mode. */
  readonly storeMode: AuthCredentialsStoreMode;
  /** The configured store. */
  readonly storage: AuthStorage;
  readonly #ephemeral: EphemeralAuthStorage;
  readonly #options: AuthManagerOptions;
  readonly #logger: Logger;
  #http: HttpClient | undefined;
  readonly #now: () => Date;
  readonly #listeners = new Set<AuthStateListener>();
  #cached: CodexAuth | undefined;
  #loadError: LoginError | undefined;
  #permanentFailure: PermanentFailure | undefined;
  #inFlight: Promise<void> | undefined;
  #storeRead:
    | { readonly storage: AuthStorage; readonly promise: Promise<AuthDotJson | undefined> }
    | undefined;
  #forcedWorkspaceId: string | undefined;
  #externalAuth: ExternalAuth | undefined;
  #chatgptBackend: ChatgptBackendSettings;
  /** `exp` of the cached access token, parsed once per snapshot. */
  #expCache: { readonly token: Secret; readonly exp: number | undefined } | undefined;

  private constructor(options: AuthManagerOptions) {
    if (typeof options?.codexHome !== "string" || options.codexHome === "") {
      throw new LoginError("invalid_argument", "codexHome must be a non-empty path");
    }
    for (const key of ["refreshTimeoutMs", "externalRefreshTimeoutMs"] as const) {
      const value = options[key];
      if (
        value !== undefined &&
        (typeof value !== "number" || !(value > 0) || value === Infinity)
      ) {
        throw new LoginError(
          "invalid_argument",
          `${key} must be a positive number of milliseconds`,
        );
      }
    }
    if (options.now !== undefined && typeof options.now !== "function") {
      throw new LoginError("invalid_argument", "now must be a function returning a Date");
    }
    const custom = options.storage;
    if (
      custom !== undefined &&
      (typeof custom?.load !== "function" ||
        typeof custom.save !== "function" ||
        typeof custom.delete !== "function")
    ) {
      throw new LoginError("invalid_argument", "storage must implement load, save and delete");
    }
    this.#options = options;
    this.codexHome = options.codexHome;
    this.#logger = options.logger ?? silentLogger;
    this.storage =
      custom ??
      createAuthStorage({
        codexHome: options.codexHome,
        mode: options.storeMode ?? "file",
        logger: this.#logger,
        keyringTimeoutMs: options.keyringTimeoutMs,
        keyringEnv: options.keyringEnv,
        onWarning: options.onStorageWarning,
      });
    this.storeMode = this.storage.mode;
    this.#ephemeral = new EphemeralAuthStorage(storeKeyForCodexHome(options.codexHome));
    this.#http = options.http;
    this.#now = options.now ?? (() => new Date());
    this.#forcedWorkspaceId = options.forcedChatgptWorkspaceId;
    this.#externalAuth = options.externalAuth;
    this.#chatgptBackend = { ...options.chatgptBackend };
  }

  /**
   * Creates a manager and loads the credentials once. A load failure (corrupt file, keyring
   * timeout) leaves the manager logged out, keeps the error in {@link loadError}, and never
   * touches the stored data.
   *
   * @throws {LoginError} code `invalid_argument` for bad options.
   */
  static async create(options: AuthManagerOptions): Promise<AuthManager> {
    const manager = new AuthManager(options);
    await manager.reload();
    return manager;
  }

  /**
   * In `auto` mode, the warning of the last keyring failure that sent the store to `auth.json`
   * (`undefined` while the keyring works, and in other modes). Set by {@link create} already when
   * the first load fell back, so an app can show it without a logger.
   */
  get storageFallback(): AuthStorageWarning | undefined {
    return this.storage instanceof AutoAuthStorage ? this.storage.fallback : undefined;
  }

  /** The error of the last load, if it failed. */
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
    this.#notify();
  }

  /**
   * The `Authorization` value for a ChatGPT backend call with `auth`, decided with this manager's
   * backend settings and forced workspace (upstream `chatgpt_authorization_header_for_auth`):
   * `undefined` for non-ChatGPT auth, `AgentAssertion …` when agent identity is enabled, the base
   * URL allowed and a task stored, else `Bearer <access token>`.
   *
   * @example
   * ```ts
   * const value = await manager.chatgptAuthorizationHeaderForAuth(await manager.auth());
   * ```
   */
  chatgptAuthorizationHeaderForAuth(auth: CodexAuth | undefined): Promise<string | undefined> {
    return chatgptAuthorizationHeaderForAuth(auth, this.#chatgptAuthorizationOptions());
  }

  /** {@link chatgptAuthorizationHeaderForAuth} for {@link auth}() (upstream `chatgpt_authorization_header`). */
  async chatgptAuthorizationHeader(): Promise<string | undefined> {
    return this.chatgptAuthorizationHeaderForAuth(await this.auth());
  }

  /**
   * The auth headers of a ChatGPT backend request for `auth` (default: {@link auth}()):
   * `authorization`, plus `chatgpt-account-id` only with a Bearer value. Empty for non-ChatGPT auth.
   *
   * @example
   * ```ts
   * const headers = await manager.chatgptRequestAuthHeaders();
   * ```
   */
  async chatgptRequestAuthHeaders(auth?: CodexAuth): Promise<Record<string, string>> {
    return chatgptRequestAuthHeaders(
      auth ?? (await this.auth()),
      this.#chatgptAuthorizationOptions(),
    );
  }

  #chatgptAuthorizationOptions(): ChatgptAuthorizationOptions {
    return {
      mode: this.#chatgptBackend.mode,
      chatgptBaseUrl: this.#chatgptBackend.baseUrl,
      extraAllowedHosts: this.#chatgptBackend.extraAllowedHosts,
      forcedWorkspaceId: this.#forcedWorkspaceId,
      logger: this.#logger,
      now: this.#now,
    };
  }

  /** The forced login method, if any. */
  get forcedLoginMethod(): ForcedLoginMethod | undefined {
    return this.#options.forcedLoginMethod;
  }

  /** Installs (or removes) the host refresher for `chatgptAuthTokens` mode. */
  setExternalAuth(externalAuth: ExternalAuth | undefined): void {
    this.#externalAuth = externalAuth;
  }

  /** The cached auth, without any refresh. */
  authCached(): CodexAuth | undefined {
    return this.#cached;
  }

  /**
   * The current auth. For managed ChatGPT auth, refreshes first when the access token expires
   * within 5 minutes (or, without a readable `exp`, when `last_refresh` is over 8 days old); a
   * failed refresh is logged and the old credentials are returned.
   */
  async auth(): Promise<CodexAuth | undefined> {
    const auth = this.#cached;
    if (auth?.apiAuthMode !== "chatgpt" || !this.#needsProactiveRefresh(auth)) return auth;
    const dot = auth.getCurrentAuthJson();
    const failed = this.#permanentFailure;
    if (dot && failed && authDotJsonEquals(failed.snapshot, dot)) return auth;
    try {
      await this.refreshToken();
    } catch (err) {
      this.#logger.warn(`Failed to refresh token: ${(err as Error).message}`);
    }
    return this.#cached;
  }

  /** True when `auth` would be refreshed proactively now. */
  #needsProactiveRefresh(auth: CodexAuth): boolean {
    const dot = auth.getCurrentAuthJson();
    if (!dot?.tokens) return false;
    const now = this.#now().getTime();
    const exp = this.#accessTokenExp(dot.tokens.accessToken);
    if (exp !== undefined) return exp * 1000 <= now + ACCESS_TOKEN_REFRESH_WINDOW_MS;
    if (dot.lastRefresh === undefined) return false;
    const ts = parseTimestamp(dot.lastRefresh);
    return ts !== undefined && timestampToMillis(ts) < now - TOKEN_REFRESH_INTERVAL_MS;
  }

  #accessTokenExp(token: Secret): number | undefined {
    if (this.#expCache?.token === token) return this.#expCache.exp;
    let exp: number | undefined;
    try {
      exp = parseJwtExpiration(token.reveal());
    } catch {
      exp = undefined; // not a readable JWT: the last_refresh rule applies
    }
    this.#expCache = { token, exp };
    return exp;
  }

  /**
   * Reloads the credentials from the stores. Returns true only when the mode or the presence of
   * credentials changed (upstream `CodexAuth` equality), not when tokens changed.
   */
  async reload(): Promise<boolean> {
    let next: CodexAuth | undefined;
    try {
      next = await this.#loadAuth();
      this.#loadError = undefined;
    } catch (err) {
      this.#loadError =
        err instanceof LoginError
          ? err
          : new LoginError("auth_file_unreadable", "failed to load credentials", { cause: err });
      this.#logger.warn(`failed to load credentials: ${this.#loadError.message}`);
      next = undefined;
    }
    return this.#setCached(next);
  }

  async #loadAuth(): Promise<CodexAuth | undefined> {
    if (this.#options.enableCodexApiKeyEnv) {
      const key = (this.#options.env ?? process.env).CODEX_API_KEY?.trim();
      if (key) return CodexAuth.fromApiKey(key);
    }
    const host = await this.#ephemeral.load();
    if (host) return CodexAuth.fromAuthDotJson(host, this.#ephemeral);
    if (this.storeMode === "ephemeral") return undefined;
    const stored = await this.storage.load();
    return stored ? CodexAuth.fromAuthDotJson(stored, this.storage) : undefined;
  }

  #setCached(next: CodexAuth | undefined): boolean {
    const prev = this.#cached;
    const changed = prev === undefined ? next !== undefined : !prev.equals(next);
    if (!prev || !next || !prev.sameCredentials(next)) this.#permanentFailure = undefined;
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
        this.#logger.warn(`auth state listener failed: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Guarded refresh: if the stored auth (same account) differs from the cached one, another
   * process refreshed, so it is adopted without a network call; otherwise the token endpoint is
   * called. Concurrent calls share one refresh. API keys: no-op.
   *
   * @throws {LoginError} `account_mismatch`, a permanent refresh code, or `refresh_failed`.
   */
  refreshToken(): Promise<void> {
    return this.#singleFlight(undefined, true);
  }

  /** Refresh without reloading first (still adopting a rotation seen under the lock). */
  refreshTokenFromAuthority(): Promise<void> {
    return this.#singleFlight(undefined, false);
  }

  async #singleFlight(seen: AuthDotJson | undefined, reloadFirst: boolean): Promise<void> {
    const running = this.#inFlight;
    if (running) return running;
    if (seen !== undefined && !authDotJsonEquals(this.#cached?.getCurrentAuthJson(), seen)) {
      return; // the credentials the caller saw were already replaced
    }
    const flight = this.#refresh(reloadFirst).finally(() => {
      if (this.#inFlight === flight) this.#inFlight = undefined;
    });
    this.#inFlight = flight;
    return flight;
  }

  async #lock(): Promise<RefreshLock | undefined> {
    const opts = this.#options.refreshLock;
    if (opts === false || this.storeMode === "ephemeral") return undefined;
    return acquireRefreshLock(this.storage.lockPath ?? refreshLockPath(this.codexHome), opts ?? {});
  }

  async #refresh(reloadFirst: boolean): Promise<void> {
    const auth = this.#cached;
    if (!auth || auth.apiAuthMode === "apikey") return;
    if (auth.apiAuthMode === "chatgptAuthTokens") return this.#refreshExternalNow();
    const cachedDot = auth.getCurrentAuthJson();
    const storage = auth.storage;
    if (!cachedDot?.tokens || !storage) {
      throw new LoginError("token_data_unavailable", "Token data is not available.");
    }
    const expectedAccount = cachedDot.tokens.accountId ?? undefined;
    const lock = storage === this.#ephemeral ? undefined : await this.#lock();
    try {
      if (reloadFirst || lock) {
        const stored = await storage.load();
        const storedAccount = stored?.tokens?.accountId ?? undefined;
        if (reloadFirst) {
          if (expectedAccount === undefined || storedAccount !== expectedAccount) {
            throw accountMismatch();
          }
          if (!authDotJsonEquals(stored, cachedDot)) {
            this.#setCached(CodexAuth.fromAuthDotJson(stored as AuthDotJson, storage));
            return;
          }
        } else if (
          stored?.tokens &&
          storedAccount === expectedAccount &&
          !stored.tokens.refreshToken.equals(cachedDot.tokens.refreshToken)
        ) {
          // another process rotated the refresh token while we waited: adopt its result
          this.#setCached(CodexAuth.fromAuthDotJson(stored, storage));
          return;
        }
      }
      const failed = this.#permanentFailure;
      if (failed && authDotJsonEquals(failed.snapshot, cachedDot)) throw failed.error;
      await this.#refreshFromNetwork(auth, cachedDot, storage);
    } finally {
      await lock?.release();
    }
  }

  async #refreshFromNetwork(
    auth: CodexAuth,
    cachedDot: AuthDotJson,
    storage: AuthStorage,
  ): Promise<void> {
    const tokens = cachedDot.tokens;
    if (!tokens) throw new LoginError("token_data_unavailable", "Token data is not available.");
    const env = this.#options.env ?? process.env;
    let refreshed: Awaited<ReturnType<typeof refreshTokens>>;
    try {
      refreshed = await refreshTokens(tokens.refreshToken, {
        http: this.#httpClient(env),
        url: this.#options.refreshTokenUrl ?? refreshTokenUrl(env, this.#options.issuer),
        clientId: this.#options.clientId,
        headers: this.#options.tokenEndpointHeaders,
        timeoutMs: this.#options.refreshTimeoutMs,
      });
    } catch (err) {
      if (err instanceof LoginError && err.permanent && this.#cached === auth) {
        this.#permanentFailure = { snapshot: cachedDot, error: err };
      }
      throw err;
    }
    const current = await storage.load();
    if (!current?.tokens) {
      throw new LoginError("token_data_unavailable", "Token data is not available.");
    }
    let idToken = current.tokens.idToken;
    if (refreshed.idToken) {
      try {
        idToken = parseIdToken(refreshed.idToken.reveal());
      } catch (cause) {
        throw new LoginError("refresh_failed", "Failed to refresh token: invalid id_token", {
          cause,
        });
      }
    }
    const next: AuthDotJson = {
      ...current,
      tokens: {
        ...current.tokens,
        idToken,
        accessToken: refreshed.accessToken ?? current.tokens.accessToken,
        refreshToken: refreshed.refreshToken ?? current.tokens.refreshToken,
      },
      lastRefresh: formatTimestamp(timestampFromDate(this.#now())),
    };
    try {
      await storage.save(next);
    } catch (cause) {
      throw new LoginError(
        "refresh_failed",
        "Failed to refresh token: the new tokens could not be saved",
        { cause },
      );
    }
    await this.reload();
  }

  #httpClient(env: Readonly<Record<string, string | undefined>>): HttpClient {
    this.#http ??= createLoginHttpClient({
      logger: this.#logger,
      env,
      errorCode: "refresh_failed",
      errorPrefix: "Failed to refresh token: ",
    });
    return this.#http;
  }

  /** Builds the in-memory auth for host-owned tokens (`chatgptAuthTokens`). */
  #hostTokensAuth(
    accessToken: Secret,
    accountId: string,
    planType: string | undefined,
    previous: AuthDotJson | undefined,
  ): AuthDotJson {
    const info = parseIdToken(accessToken.reveal());
    const plan =
      planType !== undefined
        ? planTypeFromRawValue(planType)
        : (info.chatgptPlanType ?? { unknown: "unknown" });
    return {
      authMode: "chatgptAuthTokens",
      openaiApiKey: null,
      tokens: {
        idToken: { ...info, chatgptAccountId: accountId, chatgptPlanType: plan },
        accessToken,
        refreshToken: new Secret(""),
        accountId,
      },
      lastRefresh: formatTimestamp(timestampFromDate(this.#now())),
      agentIdentity: previous?.agentIdentity,
    };
  }

  #checkForcedWorkspace(accountId: string, kind: "login" | "refresh"): void {
    const forced = this.#forcedWorkspaceId;
    if (!forced || forced === accountId) return;
    if (kind === "refresh") {
      throw new LoginError(
        "workspace_mismatch",
        `external auth refresh returned workspace ${JSON.stringify(accountId)}, expected ${JSON.stringify(forced)}`,
      );
    }
    throw new LoginError("login_restricted", `Login is restricted to workspace id(s) ${forced}.`);
  }

  /** Runs the host refresher under the timeout and installs its answer. */
  async #refreshExternalNow(): Promise<void> {
    const provider = this.#externalAuth;
    if (!provider) {
      throw new LoginError("external_auth_not_configured", "external auth is not configured");
    }
    const previous = this.#cached;
    const timeoutMs = this.#options.externalRefreshTimeoutMs ?? DEFAULT_EXTERNAL_REFRESH_TIMEOUT_MS;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new LoginError(
            "external_auth_timeout",
            `auth refresh request timed out after ${Math.round(timeoutMs / 1000)}s`,
          ),
        );
      }, timeoutMs);
    });
    let answer: ExternalAuthTokens;
    try {
      answer = await Promise.race([
        Promise.resolve().then(() =>
          provider.refresh({
            reason: "unauthorized",
            previousAccountId: previous?.getAccountId(),
            signal: controller.signal,
          }),
        ),
        timeout,
      ]);
    } catch (err) {
      if (err instanceof LoginError && err.code === "external_auth_timeout") throw err;
      throw new LoginError("external_auth_failed", "auth refresh request failed", { cause: err });
    } finally {
      clearTimeout(timer);
    }
    const metadata = answer?.chatgptMetadata;
    if (!metadata || typeof metadata.accountId !== "string" || metadata.accountId === "") {
      throw new LoginError(
        "external_metadata_missing",
        "external auth refresh did not return ChatGPT metadata",
      );
    }
    this.#checkForcedWorkspace(metadata.accountId, "refresh");
    const token =
      typeof answer.accessToken === "string" ? new Secret(answer.accessToken) : answer.accessToken;
    if (!Secret.is(token) || token.isEmpty) {
      throw new LoginError(
        "external_auth_failed",
        "external auth refresh returned no access token",
      );
    }
    const dot = this.#hostTokensAuth(
      token,
      metadata.accountId,
      metadata.planType,
      previous?.getCurrentAuthJson(),
    );
    await this.#ephemeral.save(dot);
    await this.reload();
  }

  /**
   * A recovery for one request that got HTTP 401.
   *
   * @example
   * ```ts
   * const recovery = manager.unauthorizedRecovery();
   * if (recovery.hasNext()) await recovery.next();
   * ```
   */
  unauthorizedRecovery(): UnauthorizedRecovery {
    return new UnauthorizedRecovery({
      cached: () => this.#cached,
      hasExternalAuth: () => this.#externalAuth !== undefined,
      reloadIfAccountIs: (accountId) => this.#reloadIfAccountIs(accountId),
      refreshFromAuthority: (seen) => this.#singleFlight(seen, false),
      refreshExternal: (seen) => this.#singleFlight(seen, false),
    });
  }

  /** One read of `storage` shared by every caller that asks while it runs (401 bursts). */
  #sharedLoad(storage: AuthStorage): Promise<AuthDotJson | undefined> {
    const running = this.#storeRead;
    if (running?.storage === storage) return running.promise;
    const promise = storage.load().finally(() => {
      if (this.#storeRead?.promise === promise) this.#storeRead = undefined;
    });
    this.#storeRead = { storage, promise };
    return promise;
  }

  async #reloadIfAccountIs(accountId: string | undefined): Promise<void> {
    const auth = this.#cached;
    const storage = auth?.storage;
    if (accountId === undefined || !auth || !storage) throw accountMismatch();
    const stored = await this.#sharedLoad(storage);
    if ((stored?.tokens?.accountId ?? undefined) !== accountId) throw accountMismatch();
    if (stored && !authDotJsonEquals(stored, auth.getCurrentAuthJson())) {
      this.#setCached(CodexAuth.fromAuthDotJson(stored, storage));
    }
  }

  /** True while host-owned tokens are active (ChatGPT login is refused then). */
  hasExternalAuthTokens(): boolean {
    return this.#cached?.apiAuthMode === "chatgptAuthTokens";
  }

  /**
   * Logs in with an API key: writes `{"auth_mode":"apikey","OPENAI_API_KEY":…}` to the configured
   * store and reloads.
   *
   * @throws {LoginError} `invalid_argument` (empty key), `login_restricted` (ChatGPT forced).
   */
  async loginWithApiKey(apiKey: string | Secret): Promise<void> {
    const key = typeof apiKey === "string" ? new Secret(apiKey) : apiKey;
    if (!Secret.is(key) || key.reveal().trim() === "") {
      throw new LoginError("invalid_argument", "API key must be a non-empty string");
    }
    if (this.#options.forcedLoginMethod === "chatgpt") {
      throw new LoginError(
        "login_restricted",
        "ChatGPT login is required, but an API key login was attempted.",
      );
    }
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
    if (this.#options.forcedLoginMethod === "api") {
      throw new LoginError(
        "login_restricted",
        "API key login is required, but a ChatGPT login was attempted.",
      );
    }
    this.#checkForcedWorkspace(accountId, "login");
    const dot = this.#hostTokensAuth(token, accountId, planType, undefined);
    await this.#ephemeral.save(dot);
    await this.reload();
  }

  /**
   * Saves credentials to the configured store (what login flows call after a successful login)
   * and reloads.
   */
  async saveAuth(auth: AuthDotJson): Promise<void> {
    await this.storage.save(auth);
    await this.reload();
  }

  /**
   * Logs out: removes host tokens and the configured store's credentials, then reloads (also
   * when clearing the store fails, e.g. `keyring_unavailable`, which is then thrown).
   * Returns whether anything was removed.
   */
  async logout(): Promise<boolean> {
    let removed = await this.#ephemeral.delete();
    try {
      if (this.storeMode !== "ephemeral") removed = (await this.storage.delete()) || removed;
    } finally {
      // even when the store could not be cleared, the cache must not keep serving what was removed
      await this.reload();
    }
    return removed;
  }

  /**
   * Startup enforcement of `forced_login_method` and `forced_chatgpt_workspace_id` (loads with
   * `CODEX_API_KEY` enabled). On a violation every store is cleared and the upstream message is
   * thrown.
   *
   * @throws {LoginError} code `login_restricted`.
   */
  async enforceLoginRestrictions(): Promise<void> {
    const method = this.#options.forcedLoginMethod;
    const workspace = this.#forcedWorkspaceId;
    if (!method && !workspace) return;
    let auth: CodexAuth | undefined;
    try {
      const env = this.#options.env ?? process.env;
      const key = env.CODEX_API_KEY?.trim();
      auth = key ? CodexAuth.fromApiKey(key) : await this.#loadAuth();
    } catch (err) {
      if (!workspace) return;
      return this.#violation(
        `Failed to load ChatGPT credentials while enforcing workspace restrictions: ${(err as Error).message}. Logging out.`,
      );
    }
    if (!auth) return;
    if (method === "api" && auth.isChatgptAuth()) {
      return this.#violation(
        "API key login is required, but ChatGPT is currently being used. Logging out.",
      );
    }
    if (method === "chatgpt" && !auth.isChatgptAuth()) {
      return this.#violation(
        "ChatGPT login is required, but an API key is currently being used. Logging out.",
      );
    }
    if (workspace && auth.isChatgptAuth()) {
      const actual = auth.getChatgptAccountIdClaim();
      if (actual === undefined) {
        return this.#violation(
          `Login is restricted to workspace ${workspace}, but current credentials lack a workspace identifier. Logging out.`,
        );
      }
      if (actual !== workspace) {
        return this.#violation(
          `Login is restricted to workspace ${workspace}, but current credentials belong to ${actual}. Logging out.`,
        );
      }
    }
  }

  async #violation(message: string): Promise<never> {
    let suffix = "";
    try {
      await this.logout();
    } catch (err) {
      suffix = `. Failed to remove auth.json: ${(err as Error).message}`;
    }
    throw new LoginError("login_restricted", `${message}${suffix}`);
  }

  /** Path of auth.json for this manager's home. */
  get authFilePath(): string {
    return authFilePath(this.codexHome);
  }
}

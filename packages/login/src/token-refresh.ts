import {
  formatRfc3339,
  instantFromMillis,
  instantToMillis,
  parseRfc3339,
  type Secret,
} from "@codex/wire";
import { type AuthDotJson, authDotJsonEquals } from "./auth-dot-json.js";
import { CodexAuth } from "./codex-auth.js";
import { isLoginError, LoginError } from "./errors.js";
import type { ExternalAuth } from "./external-auth.js";
import { refreshExternalTokens } from "./external-refresh.js";
import { type IdTokenInfo, parseIdToken } from "./id-token.js";
import { withAuthLock } from "./internal/auth-locks.js";
import { parseJwtExpiration } from "./internal/jwt.js";
import type { LoginConfig } from "./login-config.js";
import type { AuthStorage, AuthStorageLockScope } from "./storage/auth-storage.js";
import { REFRESH_FAILURE_MESSAGES, type RefreshReason, refreshTokens } from "./token-endpoint.js";

/** Refresh the access token when its `exp` is within this window (upstream: 5 minutes). */
export const ACCESS_TOKEN_REFRESH_WINDOW_MS = 5 * 60 * 1000;
/** Without a readable `exp`: refresh when `last_refresh` is older than this (8 days). */
export const TOKEN_REFRESH_INTERVAL_MS = 8 * 24 * 60 * 60 * 1000;

/** What token refresh needs from the manager that owns the cache. */
export interface TokenRefreshHost {
  readonly config: LoginConfig;
  /** The cached auth. */
  cached(): CodexAuth | undefined;
  /** Installs `auth` (read from a store) as the cached auth. */
  adopt(auth: CodexAuth): void;
  /** Reloads the cache from the stores. */
  reload(): Promise<unknown>;
  /** The host refresher of `chatgptAuthTokens` mode, if installed. */
  externalAuth(): ExternalAuth | undefined;
  /** `forced_chatgpt_workspace_id`, which host tokens must match. */
  forcedWorkspaceId(): string | undefined;
}

interface PermanentFailure {
  readonly snapshot: AuthDotJson;
  readonly error: LoginError;
}

function accountMismatch(): LoginError {
  return new LoginError("account_mismatch", REFRESH_FAILURE_MESSAGES.account_mismatch);
}

function tokenDataUnavailable(): LoginError {
  return new LoginError("token_data_unavailable", "Token data is not available.");
}

/**
 * Token refresh of one manager: when to refresh proactively, one refresh at a time in-process
 * (single flight) and across processes (`flock` on `auth.lock`, shared with upstream codex), the
 * guarded reload that adopts a rotation
 * another process already made instead of spending the rotated refresh token, and the permanent
 * failures remembered against the snapshot they were tried with (no second network call until the
 * credentials change).
 */
export class TokenRefresh {
  readonly #host: TokenRefreshHost;
  #inFlight: Promise<void> | undefined;
  #permanentFailure: PermanentFailure | undefined;
  #storeRead:
    | { readonly storage: AuthStorage; readonly promise: Promise<AuthDotJson | undefined> }
    | undefined;
  /** `exp` of the cached access token, parsed once per snapshot. */
  #expCache: { readonly token: Secret; readonly exp: number | undefined } | undefined;

  constructor(host: TokenRefreshHost) {
    this.#host = host;
  }

  /** Forgets a remembered permanent failure once the credentials changed from `prev` to `next`. */
  cacheChanged(prev: CodexAuth | undefined, next: CodexAuth | undefined): void {
    if (!prev || !next || !prev.sameCredentials(next)) this.#permanentFailure = undefined;
  }

  /**
   * True when managed ChatGPT `auth` should be refreshed before use: its access token expires
   * within 5 minutes (or, without a readable `exp`, `last_refresh` is over 8 days old), and no
   * permanent failure is remembered for these credentials.
   */
  isDue(auth: CodexAuth): boolean {
    const dot = auth.getCurrentAuthJson();
    if (!dot?.tokens) return false;
    const failed = this.#permanentFailure;
    if (failed && authDotJsonEquals(failed.snapshot, dot)) return false;
    const now = this.#host.config.now().getTime();
    const exp = this.#accessTokenExp(dot.tokens.accessToken);
    if (exp !== undefined) return exp * 1000 <= now + ACCESS_TOKEN_REFRESH_WINDOW_MS;
    if (dot.lastRefresh === undefined) return false;
    const ts = parseRfc3339(dot.lastRefresh);
    return ts !== undefined && instantToMillis(ts) < now - TOKEN_REFRESH_INTERVAL_MS;
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
   * Runs one refresh, shared by every caller while it runs. With `seen`, nothing happens when the
   * cached credentials are no longer the ones the caller saw (already replaced). `reloadFirst`:
   * the guarded form that first adopts what the store holds for the same account. `reason` is
   * sent as `refresh_reason` (`proactive_expiry` from `auth()`, else `forced`).
   */
  run(
    seen: AuthDotJson | undefined,
    reloadFirst: boolean,
    reason: RefreshReason = "forced",
  ): Promise<void> {
    const running = this.#inFlight;
    if (running) return running;
    if (seen !== undefined && !authDotJsonEquals(this.#host.cached()?.getCurrentAuthJson(), seen)) {
      return Promise.resolve();
    }
    const flight = this.#refresh(reloadFirst, reason).finally(() => {
      if (this.#inFlight === flight) this.#inFlight = undefined;
    });
    this.#inFlight = flight;
    return flight;
  }

  /**
   * The 401 "reload" step: adopts what the store holds when it belongs to `accountId`.
   *
   * @throws {LoginError} `account_mismatch` when the store holds another account (or none).
   */
  async reloadIfAccountIs(accountId: string | undefined): Promise<void> {
    const auth = this.#host.cached();
    const storage = auth?.storage;
    if (accountId === undefined || !auth || !storage) throw accountMismatch();
    const stored = await this.#sharedLoad(storage);
    if ((stored?.tokens?.accountId ?? undefined) !== accountId) throw accountMismatch();
    if (stored && !authDotJsonEquals(stored, auth.getCurrentAuthJson())) {
      this.#host.adopt(CodexAuth.fromAuthDotJson(stored, storage));
    }
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

  /** Asks the host for new tokens (`external-refresh.ts`) and installs them in memory. */
  async #refreshExternal(auth: CodexAuth): Promise<void> {
    const { config } = this.#host;
    const dot = await refreshExternalTokens({
      provider: this.#host.externalAuth(),
      previous: auth.getCurrentAuthJson(),
      timeoutMs: config.externalRefreshTimeoutMs,
      forcedWorkspaceId: this.#host.forcedWorkspaceId(),
      now: config.now,
    });
    await config.hostTokens.save(dot);
    await this.#host.reload();
  }

  /**
   * The store's cross-process lock (`auth.lock`), or the Codex home's for a custom store without
   * one; none for in-memory stores.
   */
  #withLock<T>(
    storage: AuthStorage,
    fn: (scope: AuthStorageLockScope | undefined) => Promise<T>,
  ): Promise<T> {
    const { config } = this.#host;
    if (storage === config.hostTokens || storage.mode === "ephemeral") return fn(undefined);
    if (storage.withLock !== undefined) return storage.withLock(fn);
    return withAuthLock({ codexHome: config.codexHome, logger: config.logger }, (scope) =>
      fn({ commit: (commitFn) => scope.commit(() => commitFn()) }),
    );
  }

  /**
   * One managed refresh. The guarded form first adopts what the store holds (a rotation another
   * process made, ours or upstream's: no request). Then, holding `auth.lock` (our processes take
   * turns, so none spends a refresh token another already spent; upstream waits for it at its
   * commit): re-read and adopt a rotation made meanwhile, the token request, and the commit under
   * `auth.json.lock`: re-read, and write only when `access_token`, `refresh_token`, `account_id`
   * and `auth_mode` are still the ones refreshed from (otherwise `credentials_changed`, nothing
   * written, the stored credentials adopted).
   */
  async #refresh(reloadFirst: boolean, reason: RefreshReason): Promise<void> {
    const auth = this.#host.cached();
    // an agent identity (0.169's agentIdentity mode) has no tokens to refresh
    if (!auth || auth.apiAuthMode === "apikey" || auth.apiAuthMode === "agentIdentity") return;
    if (auth.apiAuthMode === "chatgptAuthTokens") return this.#refreshExternal(auth);
    const cachedDot = auth.getCurrentAuthJson();
    const storage = auth.storage;
    if (!cachedDot?.tokens || !storage) throw tokenDataUnavailable();
    const expectedAccount = cachedDot.tokens.accountId ?? undefined;
    if (reloadFirst) {
      const stored = await storage.load();
      if (
        expectedAccount === undefined ||
        (stored?.tokens?.accountId ?? undefined) !== expectedAccount
      ) {
        throw accountMismatch();
      }
      if (!authDotJsonEquals(stored, cachedDot)) {
        this.#host.adopt(CodexAuth.fromAuthDotJson(stored as AuthDotJson, storage));
        return;
      }
    }
    const wrote = await this.#withLock(storage, async (scope) => {
      let snapshot = cachedDot;
      if (scope !== undefined) {
        const stored = await storage.load();
        if (!stored?.tokens) throw tokenDataUnavailable(); // logged out meanwhile: spend nothing
        if ((stored.tokens.accountId ?? undefined) !== expectedAccount) throw accountMismatch();
        if (credentialsDiffer(stored, cachedDot)) {
          // another process refreshed while we waited: adopt its result
          this.#host.adopt(CodexAuth.fromAuthDotJson(stored, storage));
          return false;
        }
        snapshot = stored;
      }
      const failed = this.#permanentFailure;
      if (failed && authDotJsonEquals(failed.snapshot, cachedDot)) throw failed.error;
      const refreshed = await this.#fromNetwork(auth, cachedDot, reason);
      const commit = async (): Promise<void> => {
        const current = await storage.load();
        if (!current?.tokens || credentialsDiffer(current, snapshot)) {
          throw new LoginError(
            "credentials_changed",
            "Account credentials changed during refresh.",
          );
        }
        await this.#save(storage, this.#merge(current, refreshed));
      };
      if (scope === undefined) await commit();
      else await scope.commit(commit);
      return true;
    }).catch(async (err: unknown) => {
      if (isLoginError(err, "credentials_changed"))
        await this.#host.reload().catch(() => undefined);
      throw err;
    });
    if (wrote) await this.#host.reload();
  }

  async #fromNetwork(
    auth: CodexAuth,
    cachedDot: AuthDotJson,
    reason: RefreshReason,
  ): Promise<RefreshedTokens> {
    const tokens = cachedDot.tokens;
    if (!tokens) throw tokenDataUnavailable();
    const config = this.#host.config;
    let refreshed: Awaited<ReturnType<typeof refreshTokens>>;
    try {
      // upstream 0.169: at the login's own issuer with its client id (tokens.oauth_provenance)
      const target = config.refreshTarget(tokens.oauthProvenance);
      refreshed = await refreshTokens(tokens.refreshToken, {
        http: config.http("refresh_failed", "Failed to refresh token: "),
        url: target.url,
        clientId: target.clientId,
        refreshReason: reason,
        headers: config.tokenEndpointHeaders,
        timeoutMs: config.refreshTimeoutMs,
      });
    } catch (err) {
      if (isLoginError(err) && err.permanent && this.#host.cached() === auth) {
        this.#permanentFailure = { snapshot: cachedDot, error: err };
      }
      throw err;
    }
    let idToken: IdTokenInfo | undefined;
    if (refreshed.idToken) {
      try {
        idToken = parseIdToken(refreshed.idToken.reveal());
      } catch (cause) {
        throw new LoginError("refresh_failed", "Failed to refresh token: invalid id_token", {
          cause,
        });
      }
    }
    return { idToken, accessToken: refreshed.accessToken, refreshToken: refreshed.refreshToken };
  }

  /** What the store holds now, with the refreshed tokens and `last_refresh` = now. */
  #merge(current: AuthDotJson, refreshed: RefreshedTokens): AuthDotJson {
    const tokens = current.tokens;
    if (!tokens) throw tokenDataUnavailable();
    return {
      ...current,
      tokens: {
        ...tokens,
        idToken: refreshed.idToken ?? tokens.idToken,
        accessToken: refreshed.accessToken ?? tokens.accessToken,
        refreshToken: refreshed.refreshToken ?? tokens.refreshToken,
      },
      lastRefresh: formatRfc3339(instantFromMillis(this.#host.config.now().getTime())),
    };
  }

  async #save(storage: AuthStorage, next: AuthDotJson): Promise<void> {
    try {
      await storage.save(next);
    } catch (cause) {
      throw new LoginError(
        "refresh_failed",
        "Failed to refresh token: the new tokens could not be saved",
        { cause },
      );
    }
  }
}

interface RefreshedTokens {
  readonly idToken: IdTokenInfo | undefined;
  readonly accessToken: Secret | undefined;
  readonly refreshToken: Secret | undefined;
}

/**
 * Upstream 0.169's change detection at commit: the stored `access_token`, `refresh_token`,
 * `tokens.account_id` or `auth_mode` is no longer the snapshot's.
 */
export function credentialsDiffer(a: AuthDotJson, b: AuthDotJson): boolean {
  if (a.authMode !== b.authMode) return true;
  const ta = a.tokens;
  const tb = b.tokens;
  if (ta === undefined || tb === undefined) return ta !== tb;
  return (
    !ta.accessToken.equals(tb.accessToken) ||
    !ta.refreshToken.equals(tb.refreshToken) ||
    (ta.accountId ?? null) !== (tb.accountId ?? null)
  );
}

import type { HttpClient } from "@codex/http";
import { type Logger, silentLogger } from "@codex/wire";
import type { AuthDotJson } from "../auth-dot-json.js";
import type { AuthManager } from "../auth-manager.js";
import { LoginError } from "../errors.js";
import { createLoginHttpClient } from "../internal/login-http-client.js";
import type { LoginConfig } from "../login-config.js";
import type { AuthStorage } from "../storage/auth-storage.js";
import { EphemeralAuthStorage } from "../storage/ephemeral-auth-storage.js";
import { storeKeyForCodexHome } from "../storage/store-key.js";
import { type RevokeOutcome, revokeAuthTokensBestEffort } from "./revoke.js";

/** Options of {@link logoutWithRevoke}. */
export interface LogoutWithRevokeOptions {
  /** HTTP client for the revocation (the default Codex client in production). */
  readonly http?: HttpClient | undefined;
  /** Explicit revocation URL. */
  readonly revokeUrl?: string | undefined;
  /** Issuer whose `/oauth/revoke` is used when no URL or env override is given. */
  readonly issuer?: string | undefined;
  readonly clientId?: string | undefined;
  /** Environment for the revocation URL overrides (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly logger?: Logger | undefined;
  /** The manager's in-memory store of host tokens (default: the one of its Codex home). */
  readonly hostTokens?: AuthStorage | undefined;
}

/** What a logout did. */
export interface LogoutResult {
  /** Whether any stored or in-memory credentials were removed. */
  readonly removed: boolean;
  /**
   * The revocation outcome: `failed` when it failed (the logout still happened), `skipped` when
   * no revocation was asked for.
   */
  readonly revoke: RevokeOutcome | "failed" | "skipped";
}

/**
 * Logs out like upstream's `logout_with_revoke`: first a **best-effort** revocation of the
 * managed ChatGPT refresh (else access) token at the issuer (a failure is logged as
 * `failed to revoke auth tokens during logout: …`), then every store is cleared (host tokens,
 * and the configured file / keyring store) and the manager reloaded.
 *
 * Host-owned tokens (`chatgptAuthTokens`) are never revoked, and logging them out clears memory
 * only: the credentials on disk are left alone.
 *
 * @example
 * ```ts
 * const { removed } = await logoutWithRevoke(manager);
 * console.error(removed ? "Successfully logged out" : "Not logged in");
 * ```
 */
export async function logoutWithRevoke(
  manager: AuthManager,
  options: LogoutWithRevokeOptions = {},
): Promise<LogoutResult> {
  if (
    manager === null ||
    typeof manager !== "object" ||
    typeof manager.authCached !== "function" ||
    typeof manager.logout !== "function"
  ) {
    throw new LoginError("invalid_argument", "logoutWithRevoke needs an AuthManager");
  }
  const logger = options.logger ?? silentLogger;
  const cached = manager.authCached();
  if (cached?.isExternalChatgptTokens()) {
    const hostTokens =
      options.hostTokens ?? new EphemeralAuthStorage(storeKeyForCodexHome(manager.codexHome));
    const removed = await hostTokens.delete();
    await manager.reload();
    return { removed, revoke: "nothing_to_revoke" };
  }
  let stored: AuthDotJson | undefined;
  try {
    stored = manager.storeMode === "ephemeral" ? undefined : await manager.storage.load();
  } catch {
    stored = undefined;
  }
  const toRevoke = stored ?? cached?.getCurrentAuthJson();
  let http = options.http;
  if (http === undefined) {
    try {
      http = createLoginHttpClient({ logger, env: options.env, errorCode: "revoke_failed" });
    } catch (err) {
      logger.warn(
        `failed to revoke auth tokens during logout: ${err instanceof Error ? err.message : "unknown error"}`,
      );
    }
  }
  const revoke =
    http === undefined
      ? "failed"
      : await revokeAuthTokensBestEffort(toRevoke, {
          http,
          revokeUrl: options.revokeUrl,
          issuer: options.issuer,
          clientId: options.clientId,
          env: options.env,
          logger,
          context: "failed to revoke auth tokens during logout",
        });
  const { removed } = await manager.logout();
  return { removed, revoke };
}

/**
 * Removes host tokens and the configured store's credentials (an `ephemeral` store holds nothing
 * beyond the host tokens). Returns whether anything was removed.
 */
export async function clearCredentials(config: LoginConfig): Promise<boolean> {
  let removed = await config.hostTokens.delete();
  if (config.storeMode !== "ephemeral") removed = (await config.storage.delete()) || removed;
  return removed;
}

/** {@link logoutWithRevoke} with a manager's configuration (its issuer, client, HTTP, stores). */
export function logoutWithRevokeFor(
  manager: AuthManager,
  config: LoginConfig,
): Promise<LogoutResult> {
  const { issuer, clientId, env, logger, hostTokens } = config;
  let http: HttpClient | undefined;
  try {
    http = config.http("revoke_failed");
  } catch {
    http = undefined; // logoutWithRevoke reports it and still logs out
  }
  return logoutWithRevoke(manager, { issuer, clientId, env, logger, hostTokens, http });
}

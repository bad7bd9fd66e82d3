/**
 * Every failure of `@codex/login` is a {@link LoginError} with a stable literal {@link LoginErrorCode}.
 * Callers switch on `code`, never on message text. Messages never contain a token, key, code or password.
 */

/**
 * Stable error codes of `@codex/login`.
 *
 * Storage: `invalid_codex_home`, `auth_file_corrupt`, `auth_file_unreadable`, `auth_write_failed`,
 * `keyring_unavailable`, `keyring_timeout`, `keyring_corrupt`.
 * Tokens: `invalid_jwt`, `invalid_id_token`, `token_data_unavailable`, `api_key_missing`,
 * `external_metadata_missing`.
 * Refresh (permanent): `refresh_token_expired`, `refresh_token_reused`, `refresh_token_revoked`,
 * `refresh_token_rejected`, `account_mismatch`, `recovery_exhausted`.
 * Refresh (transient): `refresh_failed`, `credentials_changed` (another writer changed the stored
 * tokens, account or mode while the refresh ran: nothing was written, the stored ones are adopted).
 * Credential file locks (BSD `flock(2)` on `auth.lock` / `auth.json.lock`, shared with upstream codex):
 * `lock_timeout` (another process held the lock past the wait limit), `lock_aborted` (the caller's
 * AbortSignal fired while waiting), `lock_unsupported` (this platform or runtime cannot take a
 * `flock`: the lock is never silently skipped), `lock_failed` (the lock file cannot be opened or
 * locked, e.g. permission denied or a missing folder).
 * Host-owned tokens: `external_auth_not_configured`, `external_auth_failed`, `external_auth_timeout`,
 * `workspace_mismatch`.
 * Login restrictions: `login_restricted`.
 * Token endpoint (authorization code / API-key exchange): `token_exchange_failed`.
 * Login flows: `login_cancelled`, `login_timeout`, `login_failed`, `port_in_use`,
 * `device_code_unsupported`, `device_code_failed`, `device_code_timeout`, `persist_failed`,
 * `revoke_failed`.
 * Agent identity (registration, biscuit, task, AgentAssertion): `agent_identity_failed`.
 * Anything else: `invalid_argument`.
 */
export type LoginErrorCode =
  | "invalid_codex_home"
  | "auth_file_corrupt"
  | "auth_file_unreadable"
  | "auth_write_failed"
  | "keyring_unavailable"
  | "keyring_timeout"
  | "keyring_corrupt"
  | "invalid_jwt"
  | "invalid_id_token"
  | "token_data_unavailable"
  | "api_key_missing"
  | "external_metadata_missing"
  | "refresh_token_expired"
  | "refresh_token_reused"
  | "refresh_token_revoked"
  | "refresh_token_rejected"
  | "account_mismatch"
  | "recovery_exhausted"
  | "refresh_failed"
  | "credentials_changed"
  | "lock_timeout"
  | "lock_aborted"
  | "lock_unsupported"
  | "lock_failed"
  | "external_auth_not_configured"
  | "external_auth_failed"
  | "external_auth_timeout"
  | "workspace_mismatch"
  | "login_restricted"
  | "token_exchange_failed"
  | "login_cancelled"
  | "login_timeout"
  | "login_failed"
  | "port_in_use"
  | "device_code_unsupported"
  | "device_code_failed"
  | "device_code_timeout"
  | "persist_failed"
  | "revoke_failed"
  | "agent_identity_failed"
  | "invalid_argument";

/** Refresh failure codes that no retry can fix: the user has to sign in again. */
const PERMANENT_REFRESH_CODES: ReadonlySet<LoginErrorCode> = new Set<LoginErrorCode>([
  "refresh_token_expired",
  "refresh_token_reused",
  "refresh_token_revoked",
  "refresh_token_rejected",
  "account_mismatch",
  "recovery_exhausted",
]);

/** Brand of every {@link LoginError}, shared by all installed copies of `@codex/login`. */
const LOGIN_ERROR_BRAND = Symbol.for("codex.login.error");

/** Options of {@link LoginError}: the ES2022 `cause` and an optional HTTP status. */
export interface LoginErrorOptions {
  /** The underlying error (an `HttpError`, a filesystem error, ...). */
  readonly cause?: unknown;
  /** HTTP status of the response that caused this error, when there was one. */
  readonly status?: number;
}

/**
 * The one error class of `@codex/login`.
 *
 * @example
 * ```ts
 * try { await manager.refreshToken(); }
 * catch (err) { if (isLoginError(err) && err.permanent) askToSignInAgain(); }
 * ```
 */
export class LoginError extends Error {
  override readonly name = "LoginError";
  /** Stable machine-readable code. */
  readonly code: LoginErrorCode;
  /** HTTP status of the failing response, if any. */
  readonly status: number | undefined;
  /** Brand read by {@link isLoginError}: survives two installed copies, unlike `instanceof`. */
  readonly [LOGIN_ERROR_BRAND] = true;

  constructor(code: LoginErrorCode, message: string, options: LoginErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }

  /** True for refresh failures that a retry cannot fix (the user must sign in again). */
  get permanent(): boolean {
    return PERMANENT_REFRESH_CODES.has(this.code);
  }
}

/**
 * True when `err` is a {@link LoginError} (of any installed copy of `@codex/login`: a brand check,
 * not `instanceof`), optionally with the given code.
 *
 * @example
 * ```ts
 * if (isLoginError(err, "keyring_timeout")) retryLater();
 * ```
 */
export function isLoginError(err: unknown, code?: LoginErrorCode): err is LoginError {
  return (
    typeof err === "object" &&
    err !== null &&
    (err as { [LOGIN_ERROR_BRAND]?: unknown })[LOGIN_ERROR_BRAND] === true &&
    typeof (err as { code?: unknown }).code === "string" &&
    (code === undefined || (err as { code: unknown }).code === code)
  );
}

/**
 * Normalises anything thrown into a {@link LoginError}: a `LoginError` (any copy) is returned as
 * is; anything else is wrapped with `code` and `message`, the original kept as `cause` (its own
 * message is not copied, so a secret in it cannot leak into ours).
 *
 * @example
 * ```ts
 * catch (err) { throw toLoginError(err, "auth_file_unreadable", "failed to load credentials"); }
 * ```
 */
export function toLoginError(
  err: unknown,
  code: LoginErrorCode = "invalid_argument",
  message = "unexpected error",
): LoginError {
  return isLoginError(err) ? err : new LoginError(code, message, { cause: err });
}

/** The credential-store interface and its vocabulary (modes, warnings); the stores live beside it. */
import type { AuthDotJson } from "../auth-dot-json.js";
import type { LoginErrorCode } from "../errors.js";

/** Where credentials live (config `cli_auth_credentials_store`). */
export type AuthCredentialsStoreMode = "file" | "keyring" | "auto" | "ephemeral";

/** The store modes. */
export const AUTH_CREDENTIALS_STORE_MODES: readonly AuthCredentialsStoreMode[] = [
  "file",
  "keyring",
  "auto",
  "ephemeral",
];

/** A credential store: load / save / delete one {@link AuthDotJson}. */
export interface AuthStorage {
  /** The mode this store implements. */
  readonly mode: AuthCredentialsStoreMode;
  /**
   * Runs `fn` holding this store's cross-process lock (for the file, keyring and auto stores:
   * `flock` on `$CODEX_HOME/auth.lock`, shared with upstream codex); inside, `scope.commit(...)`
   * also takes the commit lock (`auth.json.lock`) for a re-read, compare and write, and the store's
   * own `save` / `delete` join the locks already held instead of waiting on themselves. Absent for
   * in-memory stores. A refresh holds the outer lock across its token request, never the commit lock.
   */
  withLock?<T>(fn: (scope: AuthStorageLockScope) => Promise<T>): Promise<T>;
  /** The stored auth, or `undefined` when nothing is stored. Throws a `LoginError` on bad data. */
  load(): Promise<AuthDotJson | undefined>;
  /** Stores `auth`, replacing what was there. */
  save(auth: AuthDotJson): Promise<void>;
  /** Removes the stored auth; true when something was removed. */
  delete(): Promise<boolean>;
}

/** The held outer lock of {@link AuthStorage.withLock}. */
export interface AuthStorageLockScope {
  /** Takes the commit lock, runs `fn` (re-read, compare, `save` / `delete`; no network), releases it. */
  commit<T>(fn: () => Promise<T>): Promise<T>;
}

/** How the file, keyring and auto stores wait for the credential locks. */
export interface CredentialLockOptions {
  /**
   * Bound on waiting for `$CODEX_HOME/auth.lock`, which another process (ours or upstream codex)
   * holds while it logs in, refreshes (across its token request) or logs out; default 90 s, then
   * `lock_timeout`. `auth.json.lock` is always polled for 5 s, as upstream does.
   */
  readonly timeoutMs?: number | undefined;
  /** Called each time a lock is found held by another process, before waiting for it. */
  readonly onWait?: ((event: CredentialLockWaitEvent) => void) | undefined;
}

/** A wait for a credential lock held by another process. */
export interface CredentialLockWaitEvent {
  /** Which lock: the outer `auth.lock` or the commit lock `auth.json.lock`. */
  readonly lock: "auth.lock" | "auth.json.lock";
  /** Path of the lock file. */
  readonly path: string;
}

/**
 * A visible warning of a store: in `auto` mode, the keyring failed (error or timeout) and the
 * file store was used instead. Delivered to `onWarning`, kept as `AutoAuthStorage.fallback`.
 */
export interface AuthStorageWarning {
  /** The store operation that fell back. */
  readonly operation: "load" | "save" | "delete";
  /** Code of the keyring failure (`keyring_timeout`, `keyring_unavailable`, `keyring_corrupt`). */
  readonly code: LoginErrorCode;
  /** Upstream's warning text, e.g. `failed to load CLI auth from keyring, falling back to file storage: …`. */
  readonly message: string;
}

/** Receives {@link AuthStorageWarning}s (an app prints them, e.g. on stderr). */
export type AuthStorageWarningListener = (warning: AuthStorageWarning) => void;

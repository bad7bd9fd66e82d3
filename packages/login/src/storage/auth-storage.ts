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
   * The cross-process lock file that guards read-modify-writes of this store (`auth.json.lock` in
   * the Codex home); absent for in-memory stores.
   */
  readonly lockPath?: string | undefined;
  /** The stored auth, or `undefined` when nothing is stored. Throws a `LoginError` on bad data. */
  load(): Promise<AuthDotJson | undefined>;
  /** Stores `auth`, replacing what was there. */
  save(auth: AuthDotJson): Promise<void>;
  /** Removes the stored auth; true when something was removed. */
  delete(): Promise<boolean>;
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

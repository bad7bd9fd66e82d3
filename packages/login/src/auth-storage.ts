import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import type { Logger } from "@codex/wire";
import { silentLogger } from "@codex/wire";
import type { AuthDotJson } from "./auth-dot-json.js";
import { AutoAuthStorage } from "./auto-auth-storage.js";
import { EphemeralAuthStorage } from "./ephemeral-auth-storage.js";
import { LoginError, type LoginErrorCode } from "./errors.js";
import { FileAuthStorage } from "./file-auth-storage.js";
import { KeyringAuthStorage } from "./keyring-auth-storage.js";

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

/** Options of {@link createAuthStorage}. */
export interface AuthStorageOptions {
  /** The Codex home directory (see `resolveCodexHome`). */
  readonly codexHome: string;
  /** Store mode (default `file`). */
  readonly mode?: AuthCredentialsStoreMode | undefined;
  /** Logger for fallback warnings (default silent). */
  readonly logger?: Logger | undefined;
  /** Called with each fallback warning (`auto` mode), whether or not a logger is set. */
  readonly onWarning?: AuthStorageWarningListener | undefined;
  /** Deadline of each keyring call in ms (default 5000). */
  readonly keyringTimeoutMs?: number | undefined;
  /** Environment for the keyring helper process (default `process.env`). */
  readonly keyringEnv?: NodeJS.ProcessEnv | undefined;
}

/** Default deadline of one keyring call. */
export const DEFAULT_KEYRING_TIMEOUT_MS = 5000;

/** Keyring service name used by upstream. */
export const KEYRING_SERVICE = "Codex Auth";

/**
 * The store key upstream uses for a Codex home: `cli|` + the first 16 hex chars of SHA-256 of the
 * canonical path (the raw path when it cannot be canonicalized). It is the keyring account and
 * the key of the in-memory (ephemeral) store.
 *
 * @example
 * ```ts
 * storeKeyForCodexHome("/home/me/.codex"); // "cli|1a2b3c4d5e6f7a8b"
 * ```
 */
export function storeKeyForCodexHome(codexHome: string): string {
  let path = codexHome;
  try {
    path = realpathSync(codexHome);
  } catch {
    // upstream falls back to the raw path
  }
  const hex = createHash("sha256").update(path, "utf8").digest("hex");
  return `cli|${hex.slice(0, 16)}`;
}

/**
 * Creates the credential store for a mode.
 *
 * @throws {LoginError} code `invalid_argument` for an unknown mode or empty home.
 * @example
 * ```ts
 * const storage = createAuthStorage({ codexHome: resolveCodexHome(), mode: "auto" });
 * const auth = await storage.load();
 * ```
 */
export function createAuthStorage(options: AuthStorageOptions): AuthStorage {
  const mode = options.mode ?? "file";
  if (typeof options.codexHome !== "string" || options.codexHome === "") {
    throw new LoginError("invalid_argument", "codexHome must be a non-empty path");
  }
  const logger = options.logger ?? silentLogger;
  if (options.onWarning !== undefined && typeof options.onWarning !== "function") {
    throw new LoginError("invalid_argument", "onWarning must be a function");
  }
  const timeoutMs = options.keyringTimeoutMs ?? DEFAULT_KEYRING_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new LoginError("invalid_argument", "keyringTimeoutMs must be a positive number");
  }
  const keyring = (): KeyringAuthStorage =>
    new KeyringAuthStorage({
      codexHome: options.codexHome,
      logger,
      timeoutMs,
      env: options.keyringEnv,
    });
  switch (mode) {
    case "file":
      return new FileAuthStorage(options.codexHome);
    case "keyring":
      return keyring();
    case "auto":
      return new AutoAuthStorage(
        keyring(),
        new FileAuthStorage(options.codexHome),
        logger,
        options.onWarning,
      );
    case "ephemeral":
      return new EphemeralAuthStorage(storeKeyForCodexHome(options.codexHome));
    default:
      throw new LoginError("invalid_argument", "unknown credential store mode");
  }
}

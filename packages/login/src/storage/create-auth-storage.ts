import type { Logger } from "@codex/wire";
import { silentLogger } from "@codex/wire";
import { requireCodexHome } from "../codex-home.js";
import { LoginError } from "../errors.js";
import type {
  AuthCredentialsStoreMode,
  AuthStorage,
  AuthStorageWarningListener,
  CredentialLockOptions,
} from "./auth-storage.js";
import { AutoAuthStorage } from "./auto-auth-storage.js";
import { EphemeralAuthStorage } from "./ephemeral-auth-storage.js";
import { FileAuthStorage } from "./file-auth-storage.js";
import { KeyringAuthStorage } from "./keyring-auth-storage.js";
import { storeKeyForCodexHome } from "./store-key.js";

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
  /** How the file, keyring and auto stores wait for the credential locks. */
  readonly locks?: CredentialLockOptions | undefined;
}

/** Default deadline of one keyring call. */
export const DEFAULT_KEYRING_TIMEOUT_MS = 5000;

/**
 * Creates the credential store for a mode.
 *
 * @throws {LoginError} `invalid_codex_home` for an empty home, `invalid_argument` for an unknown
 *   mode or a bad keyring timeout.
 * @example
 * ```ts
 * const storage = createAuthStorage({ codexHome: resolveCodexHome(), mode: "auto" });
 * const auth = await storage.load();
 * ```
 */
export function createAuthStorage(options: AuthStorageOptions): AuthStorage {
  const mode = options.mode ?? "file";
  requireCodexHome(options.codexHome);
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
      locks: options.locks,
    });
  const file = (): FileAuthStorage =>
    new FileAuthStorage(options.codexHome, { locks: options.locks, logger });
  switch (mode) {
    case "file":
      return file();
    case "keyring":
      return keyring();
    case "auto":
      return new AutoAuthStorage(keyring(), file(), logger, options.onWarning);
    case "ephemeral":
      return new EphemeralAuthStorage(storeKeyForCodexHome(options.codexHome));
    default:
      throw new LoginError("invalid_argument", "unknown credential store mode");
  }
}

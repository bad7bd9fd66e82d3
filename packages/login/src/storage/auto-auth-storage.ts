import type { Logger } from "@codex/wire";
import type { AuthDotJson } from "../auth-dot-json.js";
import { isLoginError } from "../errors.js";
import type {
  AuthCredentialsStoreMode,
  AuthStorage,
  AuthStorageLockScope,
  AuthStorageWarning,
  AuthStorageWarningListener,
} from "./auth-storage.js";
import type { FileAuthStorage } from "./file-auth-storage.js";
import type { KeyringAuthStorage } from "./keyring-auth-storage.js";

/**
 * `auto` mode: the keyring first; when it fails (error or timeout), a visible warning and the
 * file store. The warning goes to the logger, to `onWarning`, and stays readable as
 * {@link AutoAuthStorage.fallback} until the keyring works again.
 */
export class AutoAuthStorage implements AuthStorage {
  readonly mode: AuthCredentialsStoreMode = "auto";
  readonly #keyring: KeyringAuthStorage;
  readonly #file: FileAuthStorage;
  readonly #logger: Logger;
  readonly #onWarning: AuthStorageWarningListener | undefined;
  #fallback: AuthStorageWarning | undefined;

  constructor(
    keyring: KeyringAuthStorage,
    file: FileAuthStorage,
    logger: Logger,
    onWarning?: AuthStorageWarningListener,
  ) {
    this.#keyring = keyring;
    this.#file = file;
    this.#logger = logger;
    this.#onWarning = onWarning;
  }

  /** The Codex home's credential locks (the keyring and the file share them). */
  withLock<T>(fn: (scope: AuthStorageLockScope) => Promise<T>): Promise<T> {
    return this.#file.withLock(fn);
  }

  /**
   * The warning of the last keyring failure that sent an operation to the file store, or
   * `undefined` when the last keyring call worked (an app can show it, e.g. in `login status`).
   */
  get fallback(): AuthStorageWarning | undefined {
    return this.#fallback;
  }

  #warn(operation: AuthStorageWarning["operation"], what: string, err: unknown): void {
    const warning: AuthStorageWarning = {
      operation,
      code: isLoginError(err) ? err.code : "keyring_unavailable",
      message: `${what}: ${(err as Error)?.message ?? String(err)}`,
    };
    this.#fallback = warning;
    this.#logger.warn(warning.message);
    try {
      this.#onWarning?.(warning);
    } catch (listenerErr) {
      this.#logger.warn(`auth storage warning listener failed: ${(listenerErr as Error).message}`);
    }
  }

  async load(): Promise<AuthDotJson | undefined> {
    try {
      const fromKeyring = await this.#keyring.load();
      this.#fallback = undefined;
      if (fromKeyring !== undefined) return fromKeyring;
    } catch (err) {
      this.#warn("load", "failed to load CLI auth from keyring, falling back to file storage", err);
    }
    return this.#file.load();
  }

  /** One commit: the keyring write (and its removal of auth.json), or the file on a fallback. */
  save(auth: AuthDotJson): Promise<void> {
    return this.#file.commit(async () => {
      try {
        await this.#keyring.save(auth);
        this.#fallback = undefined;
        return;
      } catch (err) {
        if (isLoginError(err) && err.code.startsWith("lock_")) throw err;
        this.#warn("save", "failed to save auth to keyring, falling back to file storage", err);
      }
      await this.#file.save(auth);
    });
  }

  delete(): Promise<boolean> {
    return this.#file.commit(async () => {
      try {
        const removed = await this.#keyring.delete();
        this.#fallback = undefined;
        return removed;
      } catch (err) {
        if (isLoginError(err) && err.code.startsWith("lock_")) throw err;
        this.#warn("delete", "failed to delete auth from keyring, removing the file", err);
        return this.#file.delete();
      }
    });
  }
}

import type { Logger } from "@codex/http";
import type { AuthDotJson } from "./auth-dot-json.js";
import type { AuthCredentialsStoreMode, AuthStorage } from "./auth-storage.js";
import type { FileAuthStorage } from "./file-auth-storage.js";
import type { KeyringAuthStorage } from "./keyring-auth-storage.js";

/**
 * `auto` mode: the keyring first; when it fails (error or timeout), a visible warning and the
 * file store.
 */
export class AutoAuthStorage implements AuthStorage {
  readonly mode: AuthCredentialsStoreMode = "auto";
  readonly #keyring: KeyringAuthStorage;
  readonly #file: FileAuthStorage;
  readonly #logger: Logger;

  constructor(keyring: KeyringAuthStorage, file: FileAuthStorage, logger: Logger) {
    this.#keyring = keyring;
    this.#file = file;
    this.#logger = logger;
  }

  async load(): Promise<AuthDotJson | undefined> {
    try {
      const fromKeyring = await this.#keyring.load();
      if (fromKeyring !== undefined) return fromKeyring;
    } catch (err) {
      this.#logger.warn(
        `failed to load CLI auth from keyring, falling back to file storage: ${(err as Error).message}`,
      );
    }
    return this.#file.load();
  }

  async save(auth: AuthDotJson): Promise<void> {
    try {
      await this.#keyring.save(auth);
      return;
    } catch (err) {
      this.#logger.warn(
        `failed to save auth to keyring, falling back to file storage: ${(err as Error).message}`,
      );
    }
    await this.#file.save(auth);
  }

  async delete(): Promise<boolean> {
    try {
      return await this.#keyring.delete();
    } catch (err) {
      this.#logger.warn(
        `failed to delete auth from keyring, removing the file: ${(err as Error).message}`,
      );
      return this.#file.delete();
    }
  }
}

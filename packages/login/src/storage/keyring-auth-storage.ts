import { unlink } from "node:fs/promises";
import type { Logger } from "@codex/wire";
import {
  type AuthDotJson,
  authDotJsonFromJson,
  serializeAuthDotJsonCompact,
} from "../auth-dot-json.js";
import { LoginError } from "../errors.js";
import { type KeyringRequest, runKeyringOperation } from "../internal/keyring-process.js";
import type {
  AuthCredentialsStoreMode,
  AuthStorage,
  AuthStorageLockScope,
  CredentialLockOptions,
} from "./auth-storage.js";
import { HomeLocks } from "./home-locks.js";
import { KEYRING_SERVICE, storeKeyForCodexHome } from "./store-key.js";

/** Options of {@link KeyringAuthStorage}. */
export interface KeyringAuthStorageOptions {
  readonly codexHome: string;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** How to wait for the credential locks. */
  readonly locks?: CredentialLockOptions | undefined;
}

/**
 * The OS keychain (Secret Service on Linux) through @napi-rs/keyring: service `Codex Auth`,
 * account `cli|<16 hex>`, value = compact JSON. Every call runs in a child process under a hard
 * timeout, so a hanging Secret Service cannot hang Codex. Saves and deletes take the same two
 * `flock` locks in the Codex home as the file store (upstream does), and a save removes a leftover
 * auth.json inside that commit.
 */
export class KeyringAuthStorage implements AuthStorage {
  readonly mode: AuthCredentialsStoreMode = "keyring";
  /** The keyring account (`cli|…`). */
  readonly account: string;
  readonly #options: KeyringAuthStorageOptions;
  readonly #locks: HomeLocks;
  #loading: Promise<AuthDotJson | undefined> | undefined;

  constructor(options: KeyringAuthStorageOptions) {
    this.#options = options;
    this.account = storeKeyForCodexHome(options.codexHome);
    this.#locks = new HomeLocks(options.codexHome, options.locks, options.logger);
  }

  withLock<T>(fn: (scope: AuthStorageLockScope) => Promise<T>): Promise<T> {
    return this.#locks.withLock(fn);
  }

  async #run(request: KeyringRequest, what: string): Promise<string | boolean | null> {
    const outcome = await runKeyringOperation(request, {
      timeoutMs: this.#options.timeoutMs,
      env: this.#options.env,
    });
    if (outcome.kind === "timeout") {
      throw new LoginError(
        "keyring_timeout",
        `${what}: the keyring did not answer within ${this.#options.timeoutMs} ms (is the Secret Service locked?)`,
      );
    }
    if (outcome.kind === "error") {
      throw new LoginError("keyring_unavailable", `${what}: ${outcome.message}`);
    }
    return outcome.value;
  }

  /**
   * Reads the entry. Concurrent calls share one keyring read (one helper process), so a burst of
   * 401 recoveries cannot fork a process per request; a save or delete ends the sharing.
   */
  load(): Promise<AuthDotJson | undefined> {
    if (this.#loading !== undefined) return this.#loading;
    const loading = this.#load().finally(() => {
      if (this.#loading === loading) this.#loading = undefined;
    });
    this.#loading = loading;
    return loading;
  }

  async #load(): Promise<AuthDotJson | undefined> {
    const value = await this.#run(
      { op: "get", service: KEYRING_SERVICE, account: this.account },
      "failed to load CLI auth from keyring",
    );
    if (typeof value !== "string") return undefined;
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      throw new LoginError(
        "keyring_corrupt",
        "failed to deserialize CLI auth from keyring: not valid JSON",
      );
    }
    try {
      return authDotJsonFromJson(json);
    } catch (cause) {
      throw new LoginError(
        "keyring_corrupt",
        `failed to deserialize CLI auth from keyring: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  save(auth: AuthDotJson): Promise<void> {
    this.#loading = undefined;
    const value = serializeAuthDotJsonCompact(auth);
    return this.#locks.commit(async ({ authFile }) => {
      await this.#run(
        { op: "set", service: KEYRING_SERVICE, account: this.account, value },
        "failed to write OAuth tokens to keyring",
      );
      await this.#removeFallbackFile(authFile);
    });
  }

  delete(): Promise<boolean> {
    this.#loading = undefined;
    return this.#locks.commit(async ({ authFile }) => {
      const removed = await this.#run(
        { op: "delete", service: KEYRING_SERVICE, account: this.account },
        "failed to delete auth from keyring",
      );
      const fileRemoved = await this.#removeFallbackFile(authFile);
      return removed === true || fileRemoved;
    });
  }

  async #removeFallbackFile(authFile: string): Promise<boolean> {
    try {
      await unlink(authFile);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") {
        this.#options.logger.warn(`failed to remove CLI auth fallback file: ${code ?? "error"}`);
      }
      return false;
    }
  }
}

import { unlink } from "node:fs/promises";
import type { Logger } from "@codex/wire";
import {
  type AuthDotJson,
  authDotJsonFromJson,
  serializeAuthDotJsonCompact,
} from "../auth-dot-json.js";
import { authFilePath, refreshLockPath } from "../codex-home.js";
import { LoginError } from "../errors.js";
import { type KeyringRequest, runKeyringOperation } from "../internal/keyring-process.js";
import type { AuthCredentialsStoreMode, AuthStorage } from "./auth-storage.js";
import { KEYRING_SERVICE, storeKeyForCodexHome } from "./store-key.js";

/** Options of {@link KeyringAuthStorage}. */
export interface KeyringAuthStorageOptions {
  readonly codexHome: string;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv | undefined;
}

/**
 * The OS keychain (Secret Service on Linux) through @napi-rs/keyring: service `Codex Auth`,
 * account `cli|<16 hex>`, value = compact JSON. Every call runs in a child process under a hard
 * timeout, so a hanging Secret Service cannot hang Codex.
 */
export class KeyringAuthStorage implements AuthStorage {
  readonly mode: AuthCredentialsStoreMode = "keyring";
  /** The keyring account (`cli|…`). */
  readonly account: string;
  /** `auth.json.lock` in the Codex home. */
  readonly lockPath: string;
  readonly #options: KeyringAuthStorageOptions;
  #loading: Promise<AuthDotJson | undefined> | undefined;

  constructor(options: KeyringAuthStorageOptions) {
    this.#options = options;
    this.account = storeKeyForCodexHome(options.codexHome);
    this.lockPath = refreshLockPath(options.codexHome);
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

  async save(auth: AuthDotJson): Promise<void> {
    this.#loading = undefined;
    await this.#run(
      {
        op: "set",
        service: KEYRING_SERVICE,
        account: this.account,
        value: serializeAuthDotJsonCompact(auth),
      },
      "failed to write OAuth tokens to keyring",
    );
    await this.#removeFallbackFile();
  }

  async delete(): Promise<boolean> {
    this.#loading = undefined;
    const removed = await this.#run(
      { op: "delete", service: KEYRING_SERVICE, account: this.account },
      "failed to delete auth from keyring",
    );
    const fileRemoved = await this.#removeFallbackFile();
    return removed === true || fileRemoved;
  }

  async #removeFallbackFile(): Promise<boolean> {
    try {
      await unlink(authFilePath(this.#options.codexHome));
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

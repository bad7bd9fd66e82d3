import { open, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { Logger } from "@codex/wire";
import { type AuthDotJson, parseAuthDotJson, serializeAuthDotJson } from "../auth-dot-json.js";
import { authFilePath } from "../codex-home.js";
import { isLoginError, LoginError } from "../errors.js";
import { atomicWriteFile } from "../internal/atomic-write.js";
import type { AuthCommitTarget } from "../internal/auth-locks.js";
import type {
  AuthCredentialsStoreMode,
  AuthStorage,
  AuthStorageLockScope,
  CredentialLockOptions,
} from "./auth-storage.js";
import { HomeLocks } from "./home-locks.js";

/** auth.json files larger than this are rejected unread (a real one is a few KiB). */
export const MAX_AUTH_FILE_BYTES = 1024 * 1024;

/** Options of {@link FileAuthStorage}. */
export interface FileAuthStorageOptions {
  /** How to wait for the credential locks. */
  readonly locks?: CredentialLockOptions | undefined;
  /** Receives lock waits (debug) and a too-long commit (warn). */
  readonly logger?: Logger | undefined;
}

/**
 * auth.json in the Codex home. Every save and delete is a commit under upstream codex's two `flock`
 * locks (`auth.lock`, then `auth.json.lock` beside the file auth.json resolves to); a save writes a
 * temp file in the resolved file's folder, fsyncs it and renames it onto that file (mode 0600), so
 * a symlinked auth.json stays a symlink and a crash leaves the old or the new file, never a torn
 * one. Loads take no lock (as upstream). A corrupt file is reported on load and left alone.
 */
export class FileAuthStorage implements AuthStorage {
  readonly mode: AuthCredentialsStoreMode = "file";
  /** Absolute path of auth.json. */
  readonly path: string;
  readonly #locks: HomeLocks;

  constructor(codexHome: string, options: FileAuthStorageOptions = {}) {
    this.path = authFilePath(codexHome);
    this.#locks = new HomeLocks(codexHome, options.locks, options.logger);
  }

  withLock<T>(fn: (scope: AuthStorageLockScope) => Promise<T>): Promise<T> {
    return this.#locks.withLock(fn);
  }

  /** A commit whose Codex home cannot even be created is a failed write of auth.json. */
  async #commit<T>(fn: (target: AuthCommitTarget) => Promise<T>): Promise<T> {
    try {
      return await this.#locks.commit(fn);
    } catch (cause) {
      if (!isLoginError(cause, "invalid_codex_home")) throw cause;
      throw new LoginError(
        "auth_write_failed",
        "cannot write auth.json (its folder cannot be created)",
        {
          cause,
        },
      );
    }
  }

  /** Runs `fn` as one commit of this home (joining the locks this call chain already holds). */
  commit<T>(fn: () => Promise<T>): Promise<T> {
    return this.#locks.commit(() => fn());
  }

  async load(): Promise<AuthDotJson | undefined> {
    let text: string;
    try {
      const fh = await open(this.path, "r");
      try {
        const { size } = await fh.stat();
        if (size > MAX_AUTH_FILE_BYTES) {
          throw new LoginError(
            "auth_file_corrupt",
            `auth.json is invalid: larger than ${MAX_AUTH_FILE_BYTES} bytes`,
          );
        }
        text = await fh.readFile("utf8");
      } finally {
        await fh.close();
      }
    } catch (cause) {
      if (isLoginError(cause)) throw cause;
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new LoginError(
        "auth_file_unreadable",
        `cannot read auth.json (${(cause as NodeJS.ErrnoException).code ?? "error"}); check its permissions`,
        { cause },
      );
    }
    return parseAuthDotJson(text);
  }

  save(auth: AuthDotJson): Promise<void> {
    const data = serializeAuthDotJson(auth);
    return this.#commit(async ({ target, authFile }) => {
      try {
        await atomicWriteFile(target, data, {
          privateDir: dirname(target) === dirname(authFile),
        });
      } catch (cause) {
        throw new LoginError(
          "auth_write_failed",
          `cannot write auth.json (${(cause as NodeJS.ErrnoException).code ?? "error"})`,
          { cause },
        );
      }
    });
  }

  delete(): Promise<boolean> {
    return this.#commit(async ({ authFile }) => {
      try {
        await unlink(authFile);
        return true;
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw new LoginError(
          "auth_write_failed",
          `cannot remove auth.json (${(cause as NodeJS.ErrnoException).code ?? "error"})`,
          { cause },
        );
      }
    });
  }
}

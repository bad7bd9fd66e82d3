import { open, unlink } from "node:fs/promises";
import { type AuthDotJson, parseAuthDotJson, serializeAuthDotJson } from "../auth-dot-json.js";
import { authFilePath, refreshLockPath } from "../codex-home.js";
import { isLoginError, LoginError } from "../errors.js";
import { atomicWriteFile } from "../internal/atomic-write.js";
import type { AuthCredentialsStoreMode, AuthStorage } from "./auth-storage.js";

/** auth.json files larger than this are rejected unread (a real one is a few KiB). */
export const MAX_AUTH_FILE_BYTES = 1024 * 1024;

/**
 * auth.json in the Codex home. Writes are atomic (temp file, fsync, rename, directory fsync),
 * file mode 0600, directory 0700. A corrupt file is reported on load and left alone.
 */
export class FileAuthStorage implements AuthStorage {
  readonly mode: AuthCredentialsStoreMode = "file";
  /** Absolute path of auth.json. */
  readonly path: string;
  /** `auth.json.lock` next to auth.json. */
  readonly lockPath: string;

  constructor(codexHome: string) {
    this.path = authFilePath(codexHome);
    this.lockPath = refreshLockPath(codexHome);
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

  async save(auth: AuthDotJson): Promise<void> {
    try {
      await atomicWriteFile(this.path, serializeAuthDotJson(auth));
    } catch (cause) {
      throw new LoginError(
        "auth_write_failed",
        `cannot write auth.json (${(cause as NodeJS.ErrnoException).code ?? "error"})`,
        { cause },
      );
    }
  }

  async delete(): Promise<boolean> {
    try {
      await unlink(this.path);
      return true;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw new LoginError(
        "auth_write_failed",
        `cannot remove auth.json (${(cause as NodeJS.ErrnoException).code ?? "error"})`,
        { cause },
      );
    }
  }
}

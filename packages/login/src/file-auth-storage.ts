import { readFile, unlink } from "node:fs/promises";
import { type AuthDotJson, parseAuthDotJson, serializeAuthDotJson } from "./auth-dot-json.js";
import type { AuthCredentialsStoreMode, AuthStorage } from "./auth-storage.js";
import { authFilePath } from "./codex-home.js";
import { LoginError } from "./errors.js";
import { atomicWriteFile } from "./internal/atomic-write.js";

/**
 * auth.json in the Codex home. Writes are atomic (temp file, fsync, rename, directory fsync),
 * file mode 0600, directory 0700. A corrupt file is reported on load and left alone.
 */
export class FileAuthStorage implements AuthStorage {
  readonly mode: AuthCredentialsStoreMode = "file";
  /** Absolute path of auth.json. */
  readonly path: string;

  constructor(codexHome: string) {
    this.path = authFilePath(codexHome);
  }

  async load(): Promise<AuthDotJson | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (cause) {
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

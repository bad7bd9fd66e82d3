import { realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { LoginError } from "./errors.js";

/** Options of {@link resolveCodexHome}. */
export interface ResolveCodexHomeOptions {
  /** Environment to read `CODEX_HOME` from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Home directory (default `os.homedir()`). */
  readonly homeDir?: string;
}

/**
 * Resolves the Codex home directory like upstream: `CODEX_HOME` when set and non-empty (it must
 * exist and be a directory; its canonical path is returned), else `<home>/.codex` (not checked,
 * not created).
 *
 * @throws {LoginError} code `invalid_codex_home`.
 * @example
 * ```ts
 * const home = resolveCodexHome(); // "/home/me/.codex"
 * ```
 */
export function resolveCodexHome(options: ResolveCodexHomeOptions = {}): string {
  const env = options.env ?? process.env;
  const val = env.CODEX_HOME;
  if (val !== undefined && val !== "") {
    const quoted = JSON.stringify(val);
    let isDir: boolean;
    try {
      isDir = statSync(val).isDirectory();
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === "ENOENT") {
        throw new LoginError(
          "invalid_codex_home",
          `CODEX_HOME points to ${quoted}, but that path does not exist`,
          { cause },
        );
      }
      throw new LoginError("invalid_codex_home", `failed to read CODEX_HOME ${quoted}: ${code}`, {
        cause,
      });
    }
    if (!isDir) {
      throw new LoginError(
        "invalid_codex_home",
        `CODEX_HOME points to ${quoted}, but that path is not a directory`,
      );
    }
    try {
      return realpathSync(val);
    } catch (cause) {
      throw new LoginError("invalid_codex_home", `failed to canonicalize CODEX_HOME ${quoted}`, {
        cause,
      });
    }
  }
  const home = options.homeDir ?? homedir();
  if (!home) throw new LoginError("invalid_codex_home", "Could not find home directory");
  return join(home, ".codex");
}

/** Path of auth.json inside a Codex home. */
export function authFilePath(codexHome: string): string {
  return join(codexHome, "auth.json");
}

/**
 * The one check of a Codex home given as an option (`AuthManager.create`, the stores, the login
 * flows).
 *
 * @throws {LoginError} code `invalid_codex_home` unless `codexHome` is a non-empty string.
 */
export function requireCodexHome(codexHome: unknown): string {
  if (typeof codexHome !== "string" || codexHome === "") {
    throw new LoginError("invalid_codex_home", "codexHome must be a non-empty path");
  }
  return codexHome;
}

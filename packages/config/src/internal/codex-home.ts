import { realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigError } from "../config-error.js";

/**
 * The Codex home with `@codex/login`'s `resolveCodexHome` semantics (upstream's): an explicit
 * path is made absolute; else `CODEX_HOME` when set and non-empty (it must exist and be a
 * directory; its canonical path is returned); else `<home>/.codex` (not checked, not created).
 *
 * @throws {ConfigError} `unreadable` for a `CODEX_HOME` that is missing or not a directory.
 */
export function resolveCodexHome(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (explicit !== undefined) {
    if (typeof explicit !== "string" || explicit === "") {
      throw new ConfigError("invalid_value", "codexHome must be a non-empty path", {
        key: "codexHome",
      });
    }
    return resolve(explicit);
  }
  const val = env.CODEX_HOME;
  if (val !== undefined && val !== "") {
    const quoted = JSON.stringify(val);
    let isDir: boolean;
    try {
      isDir = statSync(val).isDirectory();
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "that path does not exist" : `it cannot be read (${code})`;
      throw new ConfigError("unreadable", `CODEX_HOME points to ${quoted}, but ${why}`, {
        file: val,
        key: "CODEX_HOME",
        cause,
      });
    }
    if (!isDir) {
      throw new ConfigError(
        "unreadable",
        `CODEX_HOME points to ${quoted}, but that path is not a directory`,
        { file: val, key: "CODEX_HOME" },
      );
    }
    return realpathSync(val);
  }
  return join(homedir(), ".codex");
}

import { parse } from "smol-toml";
import { ConfigError } from "../config-error.js";

/** One parsed `-c key=value`: the dotted key split on `.`, and its TOML value. */
export interface CliOverride {
  readonly key: string;
  readonly path: readonly string[];
  readonly value: unknown;
}

/**
 * Parses a raw `-c key=value` like upstream (`codex-rs/common/src/config_override.rs`): split on
 * the first `=`, trim both halves, parse the value as a TOML value (`_x_ = <value>`); a value that
 * is not TOML becomes a plain string with surrounding quotes stripped, so `-c model=gpt-5` means
 * `model = "gpt-5"`. The key is split on every `.` (no quoting), as upstream does.
 *
 * @param index 0-based position among the overrides, named in errors (the raw text never is: it
 *   may hold a token).
 * @throws {ConfigError} `invalid_override` without `=`, or with an empty key or key segment.
 */
export function parseCliOverride(raw: string, index: number): CliOverride {
  const where = `-c override #${index + 1}`;
  if (typeof raw !== "string") {
    throw new ConfigError("invalid_override", `${where} must be a string of the form key=value`, {
      file: "-c",
    });
  }
  const eq = raw.indexOf("=");
  if (eq < 0) {
    throw new ConfigError(
      "invalid_override",
      `${where} is not of the form key=value (missing '=')`,
      {
        file: "-c",
      },
    );
  }
  const key = raw.slice(0, eq).trim();
  if (key === "") {
    throw new ConfigError("invalid_override", `${where} has an empty key (expected key=value)`, {
      file: "-c",
    });
  }
  const path = key.split(".");
  if (path.some((part) => part === "")) {
    throw new ConfigError("invalid_override", `${where} has an empty segment in key ${key}`, {
      file: "-c",
      key,
    });
  }
  return { key, path, value: parseOverrideValue(raw.slice(eq + 1).trim()) };
}

function parseOverrideValue(text: string): unknown {
  try {
    const table = parse(`_x_ = ${text}`);
    if (Object.hasOwn(table, "_x_")) return table._x_;
  } catch {
    // Not a TOML value: upstream falls back to the literal string.
  }
  return text.replace(/^["']+|["']+$/g, "");
}

/**
 * Sets `value` at `path` in `root` (mutated), creating tables on the way and replacing a
 * non-table found on the way by a table, as upstream's `apply_single_override` does.
 */
export function applyCliOverride(
  root: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): void {
  let current = root;
  for (const [i, part] of path.entries()) {
    if (i === path.length - 1) {
      current[part] = value;
      return;
    }
    const next = current[part];
    if (isTable(next)) {
      current = next;
    } else {
      const table: Record<string, unknown> = {};
      current[part] = table;
      current = table;
    }
  }
}

/** A TOML table as smol-toml returns it (a plain or null-prototype object, not an array or date). */
export function isTable(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

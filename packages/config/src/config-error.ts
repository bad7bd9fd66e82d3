/** Stable, machine-readable reasons loading the configuration can fail. Callers switch on these. */
export type ConfigErrorCode =
  /** `config.toml` (or `CODEX_HOME`) exists but cannot be read. */
  | "unreadable"
  /** `config.toml` is not valid TOML (or not UTF-8). */
  | "invalid_toml"
  /** A known key has the wrong type or value (from the file or from a `-c` override). */
  | "invalid_value"
  /** A `-c` override is not `key=value` or its key is empty. */
  | "invalid_override"
  /** The selected config profile (`--profile` or `profile = …`) has no `[profiles.<name>]` table. */
  | "unknown_profile"
  /** `model_provider` names a provider that is neither built in nor in `[model_providers]`. */
  | "unknown_provider";

/** Where a {@link ConfigError} points; values are never included. */
export interface ConfigErrorDetails {
  /** The file the bad input came from, or `-c` for a command-line override. */
  readonly file?: string;
  /** 1-based line in `file`, when known. */
  readonly line?: number;
  /** The dotted key (`model_providers.demo.base_url`), when known. */
  readonly key?: string;
  readonly cause?: unknown;
}

// A registered symbol, so a ConfigError from another installed copy of this package is recognised.
const CONFIG_ERROR_BRAND = Symbol.for("codex.config.error");

/**
 * The one error class of `@codex/config`. Its message names the file (or `-c`), the line and the
 * key; it never contains a configured value (tokens, headers).
 *
 * @example
 * ```ts
 * try { await loadConfig(); }
 * catch (e) { if (ConfigError.is(e) && e.code === "invalid_toml") console.error(e.message); }
 * ```
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code: ConfigErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly key: string | undefined;
  readonly [CONFIG_ERROR_BRAND] = true;

  /** True for a {@link ConfigError} from any installed copy of `@codex/config`. */
  static is(value: unknown): value is ConfigError {
    return (
      value instanceof Error &&
      (value as { [CONFIG_ERROR_BRAND]?: unknown })[CONFIG_ERROR_BRAND] === true &&
      typeof (value as { code?: unknown }).code === "string"
    );
  }

  constructor(code: ConfigErrorCode, message: string, details: ConfigErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.file = details.file;
    this.line = details.line;
    this.key = details.key;
  }
}

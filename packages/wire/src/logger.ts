import { redactText, redactValue } from "./redact.js";

/** Severity levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Structured context attached to a log line. Values are redacted before they are written. */
export type LogFields = Readonly<Record<string, unknown>>;

/** One structured, already-redacted log line. */
export interface LogRecord {
  level: LogLevel;
  time: string;
  msg: string;
  fields: Record<string, unknown>;
}

/**
 * The logger every package of the stack accepts. Libraries default to {@link silentLogger} and
 * log only through the logger they are given.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Lowest level written. Default `"info"`. */
  level?: LogLevel;
  /** Where records go. Default: one JSON line per record on stderr. */
  sink?: (record: LogRecord) => void;
  /** Fields added to every record. */
  bindings?: LogFields;
  /** Clock, for deterministic tests. */
  now?: () => Date;
}

function writeJsonLineToStderr(record: LogRecord): void {
  const line: Record<string, unknown> = { level: record.level, time: record.time, msg: record.msg };
  // Fields cannot overwrite the level, time or message of the line.
  for (const [key, value] of Object.entries(record.fields)) {
    if (!Object.hasOwn(line, key)) line[key] = value;
  }
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

/**
 * Creates a structured logger that redacts every message and field before it reaches the sink.
 *
 * @example
 * ```ts
 * const log = createLogger({ level: "debug" });
 * log.info("refreshed", { access_token: "eyJ…" }); // {"level":"info",…,"access_token":"[REDACTED]"}
 * ```
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const minRank = LEVEL_RANK[options.level ?? "info"];
  const sink = options.sink ?? writeJsonLineToStderr;
  const now = options.now ?? (() => new Date());
  const bindings = options.bindings ?? {};

  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    if (LEVEL_RANK[level] < minRank) return;
    const merged = redactValue({ ...bindings, ...fields }) as Record<string, unknown>;
    sink({ level, time: now().toISOString(), msg: redactText(message), fields: merged });
  };

  return {
    debug: (message, fields) => write("debug", message, fields),
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
    child: (fields) => createLogger({ ...options, bindings: { ...bindings, ...fields } }),
  };
}

const noop = () => {};

/** A logger that drops everything: the default of every library in the stack. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};

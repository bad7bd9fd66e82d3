import { createLogger, type Logger, type LogLevel, type LogRecord } from "../logger.js";

/** A logger that keeps every record in memory, for assertions in tests. */
export interface CapturedLogger {
  logger: Logger;
  records: LogRecord[];
  /** Every record as one JSON line each: what would have reached stderr. */
  text(): string;
}

/**
 * Captures redacted log records in memory (level `debug` by default, so nothing is filtered).
 *
 * @example
 * ```ts
 * const { logger, text } = captureLogger();
 * await refresh({ logger });
 * expect(text()).not.toContain(refreshToken);
 * ```
 */
export function captureLogger(level: LogLevel = "debug"): CapturedLogger {
  const records: LogRecord[] = [];
  return {
    logger: createLogger({ level, sink: (record) => records.push(record) }),
    records,
    text: () => records.map((r) => JSON.stringify({ ...r, ...r.fields })).join("\n"),
  };
}

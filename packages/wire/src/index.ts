/**
 * @codex/wire: what every package of the stack shares at its edges.
 *
 * - {@link Secret} and redaction ({@link redactText}, {@link redactUrl}, {@link redactValue}):
 *   values that never print;
 * - {@link Logger}, {@link createLogger}, {@link silentLogger}: the one structured, redacting logger;
 * - RFC 3339 time as chrono writes it ({@link parseRfc3339}, {@link formatRfc3339Seconds}, …);
 * - JSON guards ({@link isJsonObject}, {@link JsonValue});
 * - {@link sleep}: a wait that an AbortSignal ends with its own reason.
 */

export type { JsonObject, JsonValue } from "./json-guards.js";
export { isJsonObject } from "./json-guards.js";
export type { CreateLoggerOptions, LogFields, Logger, LogLevel, LogRecord } from "./logger.js";
export { createLogger, silentLogger } from "./logger.js";
export { isSensitiveFieldName, redactText, redactUrl, redactValue } from "./redact.js";
export type { Rfc3339Instant } from "./rfc3339.js";
export {
  formatRfc3339,
  formatRfc3339Millis,
  formatRfc3339Seconds,
  instantFromMillis,
  instantToMillis,
  parseRfc3339,
  parseRfc3339Seconds,
} from "./rfc3339.js";
export { REDACTED_TEXT, Secret } from "./secret.js";
export { sleep } from "./sleep.js";

/**
 * @codex/http: the one HTTP layer of the Codex TypeScript stack.
 *
 * - {@link createHttpClient}: requests through an injected `fetch` (msw-friendly) with deadlines,
 *   retries with jittered backoff and `Retry-After`, size-capped JSON/text reads;
 * - {@link createDispatcher}: the undici dispatcher (pooling, proxy env vars, custom CA);
 * - {@link Secret}, {@link redactText}, {@link redactUrl}: values that never print;
 * - {@link createLogger}: the structured, redacting logger every package accepts.
 */

export type { CreateDispatcherOptions, DispatcherEnvOptions } from "./dispatcher.js";
export { CUSTOM_CA_ENV_VARS, createDispatcher, loadCustomCa } from "./dispatcher.js";
export type { HttpErrorCode, HttpErrorDetails } from "./errors.js";
export { HttpError } from "./errors.js";
export type {
  FetchFunction,
  HttpClient,
  HttpClientOptions,
  HttpRequest,
  JsonRequest,
  ReadResponse,
  RequestBody,
} from "./http-client.js";
export { createHttpClient } from "./http-client.js";
export type { CreateLoggerOptions, LogFields, Logger, LogLevel, LogRecord } from "./logger.js";
export { createLogger, silentLogger } from "./logger.js";
export { isSensitiveFieldName, redactText, redactUrl, redactValue } from "./redact.js";
export type { RetryPolicy } from "./retry.js";
export { backoffDelayMs, isServerError, parseRetryAfterMs } from "./retry.js";
export { REDACTED_TEXT, Secret } from "./secret.js";

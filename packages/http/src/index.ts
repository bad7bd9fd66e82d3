/**
 * @codex/http: the one HTTP layer of the Codex TypeScript stack.
 *
 * - {@link createHttpClient}: requests through an injected `fetch` (msw-friendly) with deadlines,
 *   retries with jittered backoff and `Retry-After`, size-capped JSON/text reads;
 * - {@link defaultDispatcher}: the one undici dispatcher of the process (pooling, proxy env vars,
 *   custom CA), built on first use; {@link createDispatcher} builds another for a different env;
 * - {@link websocketProxyAgent}: the same proxy choice for WebSockets, as a CONNECT-tunnel
 *   `http.Agent` to hand to `ws` (the custom CA inside the tunnel);
 *
 * Secrets, redaction and the logger it accepts come from `@codex/wire`.
 */

export type { CreateDispatcherOptions, DispatcherEnvOptions } from "./dispatcher.js";
export {
  CUSTOM_CA_ENV_VARS,
  createDispatcher,
  defaultDispatcher,
  loadCustomCa,
} from "./dispatcher.js";
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
export type { RetryPolicy } from "./retry.js";
export { backoffDelayMs, isServerError } from "./retry.js";
export { websocketProxyAgent } from "./websocket-agent.js";

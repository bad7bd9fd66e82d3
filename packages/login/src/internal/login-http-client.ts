import { createDispatcher, createHttpClient, type HttpClient } from "@codex/http";
import type { Logger } from "@codex/wire";
import { LoginError, type LoginErrorCode } from "../errors.js";

/** Options of {@link createLoginHttpClient}. */
export interface LoginHttpClientOptions {
  readonly logger: Logger;
  /** Environment for proxies and the custom CA (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Code of the `LoginError` thrown when the custom CA cannot be loaded. */
  readonly errorCode: LoginErrorCode;
  /** What failed, put before that error's message (e.g. `Failed to refresh token: `). */
  readonly errorPrefix?: string | undefined;
}

type Dispatcher = ReturnType<typeof createDispatcher>;

/**
 * The dispatchers of login, created lazily: one per environment object (in production the one
 * `process.env`, so one for the whole process), shared by every client built here and kept for
 * the life of the process instead of one never-closed dispatcher per call site.
 */
const dispatchers = new WeakMap<object, Dispatcher>();

function sharedDispatcher(env: Readonly<Record<string, string | undefined>>): Dispatcher {
  let dispatcher = dispatchers.get(env);
  if (dispatcher === undefined) {
    dispatcher = createDispatcher({ env });
    dispatchers.set(env, dispatcher);
  }
  return dispatcher;
}

/**
 * The default HTTP client of the login flows and agent-identity calls: `@codex/http` over the
 * shared undici dispatcher of `env`, so `CODEX_CA_CERTIFICATE` / `SSL_CERT_FILE` and the proxy
 * variables apply like upstream's login clients (no originator or User-Agent is added).
 *
 * @throws {LoginError} with `errorCode` when the custom CA bundle cannot be read.
 */
export function createLoginHttpClient(options: LoginHttpClientOptions): HttpClient {
  let dispatcher: Dispatcher;
  try {
    dispatcher = sharedDispatcher(options.env ?? process.env);
  } catch (cause) {
    throw new LoginError(
      options.errorCode,
      `${options.errorPrefix ?? ""}the custom CA certificate (CODEX_CA_CERTIFICATE or SSL_CERT_FILE) could not be loaded`,
      { cause },
    );
  }
  return createHttpClient({ logger: options.logger, dispatcher });
}

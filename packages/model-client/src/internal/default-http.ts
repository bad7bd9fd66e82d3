import {
  createDispatcher,
  createHttpClient,
  type FetchFunction,
  type HttpClient,
  HttpError,
} from "@codex/http";
import type { Logger } from "@codex/wire";
import { ModelClientError } from "../model-client-error.js";

/** A client's default HTTP layer, with the dispatcher it made (closed by the client), if any. */
export interface DefaultHttp {
  readonly http: HttpClient;
  readonly dispatcher?: ReturnType<typeof createDispatcher>;
}

/**
 * The default HTTP client: the shared dispatcher (proxy variables, `CODEX_CA_CERTIFICATE` /
 * `SSL_CERT_FILE`) unless a custom `fetch` is given.
 *
 * @param env the client's own environment, `undefined` for `process.env`.
 */
export function defaultHttp(
  fetch: FetchFunction | undefined,
  env: Readonly<Record<string, string | undefined>> | undefined,
  logger: Logger,
): DefaultHttp {
  if (fetch !== undefined) return { http: createHttpClient({ fetch, logger }) };
  // The process-wide dispatcher of @codex/http reads process.env; a client given another
  // environment gets its own (closed by close()).
  if (env === undefined) return { http: createHttpClient({ logger }) };
  let dispatcher: ReturnType<typeof createDispatcher>;
  try {
    dispatcher = createDispatcher({ env });
  } catch (cause) {
    throw new ModelClientError(
      "invalid_argument",
      HttpError.is(cause) ? cause.message : "the HTTP dispatcher could not be created",
      { cause },
    );
  }
  return { http: createHttpClient({ dispatcher, logger }), dispatcher };
}

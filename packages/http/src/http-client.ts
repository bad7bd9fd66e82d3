import { type Logger, redactText, redactUrl, silentLogger, sleep } from "@codex/wire";
import type { Dispatcher } from "undici";
import { defaultDispatcher } from "./dispatcher.js";
import { HttpError } from "./errors.js";
import { backoffDelayMs, isServerError, parseRetryAfterMs, type RetryPolicy } from "./retry.js";

/** A `fetch`-compatible function. Defaults to `globalThis.fetch`, which msw intercepts in tests. */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** A request body that can be sent again on retry. */
export type RequestBody = string | Uint8Array | URLSearchParams;

/** One HTTP request. */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";
  url: string | URL;
  headers?: Readonly<Record<string, string>>;
  body?: RequestBody;
  /**
   * Deadline in ms. For {@link HttpClient.request} it covers the response headers (a stream may
   * then run as long as it needs); for `requestJson`/`requestText` it covers the whole body.
   * Default: the client's `defaultTimeoutMs`. `0` disables it.
   */
  timeoutMs?: number;
  /** Cancels the request, before or after the headers arrived. */
  signal?: AbortSignal;
  /** Retry policy for this request. Default: no retries. */
  retry?: RetryPolicy;
}

/** A request whose body is JSON: `json` is serialized and `content-type` set. */
export interface JsonRequest extends Omit<HttpRequest, "body"> {
  json?: unknown;
  body?: RequestBody;
  /** Largest accepted response body in bytes. Default: the client's `maxBodyBytes`. */
  maxBodyBytes?: number;
}

/** A response whose body was read in full. */
export interface ReadResponse<Body> {
  status: number;
  ok: boolean;
  headers: Headers;
  body: Body;
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Network function. Default `globalThis.fetch`. */
  fetch?: FetchFunction;
  /**
   * undici dispatcher (pooling, proxy, custom CA). Default: the process-wide
   * `defaultDispatcher()`, built from `process.env` on the first request.
   */
  dispatcher?: Dispatcher;
  /** Redacting logger; requests are logged at debug level. Default silent. */
  logger?: Logger;
  /** `User-Agent` added when a request sets none. */
  userAgent?: string;
  /** Headers added when a request does not set them. */
  defaultHeaders?: Readonly<Record<string, string>>;
  /** Default deadline in ms. Default 30 s. */
  defaultTimeoutMs?: number;
  /** Default cap of bodies read by `requestJson`/`requestText`. Default 4 MiB. */
  maxBodyBytes?: number;
  /** Sleep between retries, for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Randomness of the retry jitter, for tests. */
  random?: () => number;
  /** Clock used to read `Retry-After` dates. */
  now?: () => Date;
}

/** The HTTP layer shared by every network package of the stack. */
export interface HttpClient {
  /** Sends the request; resolves the `Response` for any status, rejects only {@link HttpError}. */
  request(request: HttpRequest): Promise<Response>;
  /** Sends and reads a JSON body (any status). A non-JSON body rejects `invalid_body`. */
  requestJson(request: JsonRequest): Promise<ReadResponse<unknown>>;
  /** Sends and reads a text body (any status), capped in size. */
  requestText(request: JsonRequest): Promise<ReadResponse<string>>;
}

const METHODS: ReadonlySet<string> = new Set<HttpRequest["method"]>([
  "GET",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "HEAD",
  "OPTIONS",
]);

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

class TimeoutSignalReason extends Error {}

const utf8 = new TextDecoder();

/**
 * Parses and checks the URL. Credentials in it (`https://user:pass@host`) are moved into a Basic
 * `Authorization` header, since fetch refuses such URLs.
 */
function parseUrl(url: string | URL): { url: URL; basicAuth: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new HttpError("invalid_request", `invalid request URL: ${redactUrl(String(url))}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new HttpError("invalid_request", `unsupported URL scheme ${parsed.protocol}`, {
      url: redactUrl(parsed),
    });
  }
  let basicAuth: string | undefined;
  if (parsed.username !== "" || parsed.password !== "") {
    let credentials: string;
    try {
      credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
    } catch {
      throw new HttpError("invalid_request", "the request URL holds malformed credentials", {
        url: redactUrl(parsed),
      });
    }
    basicAuth = `Basic ${Buffer.from(credentials).toString("base64")}`;
    parsed.username = "";
    parsed.password = "";
  }
  return { url: parsed, basicAuth };
}

/** A deadline plus the caller's signal, folded into one signal for `fetch`. */
class RequestDeadline {
  readonly controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onCallerAbort: () => void;

  constructor(
    timeoutMs: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    this.#onCallerAbort = () => this.controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) this.controller.abort(callerSignal.reason);
    callerSignal?.addEventListener("abort", this.#onCallerAbort, { once: true });
    if (timeoutMs > 0) {
      this.#timer = setTimeout(() => this.controller.abort(new TimeoutSignalReason()), timeoutMs);
    }
  }

  get timedOut(): boolean {
    return this.controller.signal.reason instanceof TimeoutSignalReason;
  }

  /** Stops the deadline; the caller's signal still cancels. */
  clearTimer(): void {
    clearTimeout(this.#timer);
  }

  dispose(): void {
    this.clearTimer();
    this.callerSignal?.removeEventListener("abort", this.#onCallerAbort);
  }
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => {});
    throw new HttpError("body_too_large", `response body exceeds ${maxBytes} bytes`, {
      status: response.status,
      url,
    });
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      void reader.cancel().catch(() => {});
      throw new HttpError("body_too_large", `response body exceeds ${maxBytes} bytes`, {
        status: response.status,
        url,
      });
    }
    chunks.push(value);
  }
  // As fetch's text()/json(): UTF-8 with a leading BOM dropped.
  return utf8.decode(Buffer.concat(chunks));
}

/**
 * Hands back `response` with a body that calls `release` once it is read to the end, fails or is
 * cancelled, so the caller's AbortSignal (which may outlive many requests) keeps no listener per
 * finished request. Until then the signal still cancels the stream.
 */
function releaseWhenBodyEnds(response: Response, release: () => void): Response {
  const source = response.body;
  if (source === null) {
    release();
    return response;
  }
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      // Not awaited: cancelling some upstream bodies never settles (the socket is freed anyway).
      void reader.cancel(reason).catch(() => {});
    },
  });
  const wrapped = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(wrapped, "url", { value: response.url });
  return wrapped;
}

/**
 * Creates the HTTP client. Every request goes through the injected `fetch` (so msw sees it in
 * tests) with the process-wide undici dispatcher ({@link defaultDispatcher}, or the one given), a
 * deadline, optional retries with jittered backoff and `Retry-After`, and a redacting debug log
 * line per attempt.
 *
 * @example
 * ```ts
 * const http = createHttpClient();
 * const { status, body } = await http.requestJson({
 *   method: "POST",
 *   url: "https://auth.openai.com/oauth/token",
 *   body: new URLSearchParams({ grant_type: "refresh_token" }),
 *   timeoutMs: 10_000,
 * });
 * ```
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const fetchFn: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const logger = options.logger ?? silentLogger;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBodyDefault = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());

  function buildHeaders(request: HttpRequest, basicAuth: string | undefined): Headers {
    const headers = new Headers();
    if (basicAuth !== undefined) headers.set("authorization", basicAuth);
    const set = (name: string, value: string) => {
      try {
        headers.set(name, value);
      } catch {
        // The platform's message echoes the value (often a credential): never pass it on.
        throw new HttpError(
          "invalid_request",
          `request header ${JSON.stringify(redactText(name))} has an invalid name or value`,
        );
      }
    };
    for (const [name, value] of Object.entries(options.defaultHeaders ?? {})) set(name, value);
    for (const [name, value] of Object.entries(request.headers ?? {})) set(name, value);
    if (options.userAgent !== undefined && !headers.has("user-agent")) {
      headers.set("user-agent", options.userAgent);
    }
    return headers;
  }

  /** One attempt. `keepDeadlineForBody` extends the deadline over the body read by the caller. */
  async function sendOnce(
    request: HttpRequest,
    url: URL,
    headers: Headers,
    safeUrl: string,
    deadline: RequestDeadline,
  ): Promise<Response> {
    const init: RequestInit = {
      method: request.method,
      headers: new Headers(headers),
      signal: deadline.controller.signal,
      redirect: "manual",
    };
    if (request.body !== undefined) init.body = request.body;
    // Node's fetch takes an undici dispatcher; its bundled types name an older undici, hence the cast.
    // Resolved per request, so making a client never reads the environment or a CA file.
    (init as { dispatcher?: unknown }).dispatcher = options.dispatcher ?? defaultDispatcher();
    const started = performance.now();
    try {
      const response = await fetchFn(url, init);
      logger.debug("http response", {
        method: request.method,
        url: safeUrl,
        status: response.status,
        durationMs: Math.round(performance.now() - started),
      });
      return response;
    } catch (cause) {
      if (deadline.timedOut) {
        throw new HttpError("timeout", `request to ${safeUrl} timed out`, { url: safeUrl, cause });
      }
      if (deadline.controller.signal.aborted) {
        throw new HttpError("aborted", `request to ${safeUrl} was aborted`, {
          url: safeUrl,
          cause,
        });
      }
      throw new HttpError("network", `request to ${safeUrl} failed: network error`, {
        url: safeUrl,
        cause,
      });
    }
  }

  async function send(request: HttpRequest, keepDeadlineForBody: boolean) {
    const safeUrl = redactUrl(request.url);
    const { url, basicAuth } = parseUrl(request.url);
    // Checked here, not left to fetch: its TypeError would pass for a (retryable) network error.
    if (!METHODS.has(request.method)) {
      throw new HttpError("invalid_request", "unsupported HTTP method", { url: safeUrl });
    }
    if (request.body !== undefined && (request.method === "GET" || request.method === "HEAD")) {
      throw new HttpError("invalid_request", `a ${request.method} request cannot have a body`, {
        url: safeUrl,
      });
    }
    const headers = buildHeaders(request, basicAuth);
    const policy = request.retry;
    const maxRetries = policy?.maxRetries ?? 0;
    const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
    // NaN would never compare as "retries used up": a network error would be retried forever.
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new HttpError("invalid_request", "retry.maxRetries must be a non-negative integer", {
        url: safeUrl,
      });
    }
    if (Number.isNaN(timeoutMs) || timeoutMs < 0) {
      throw new HttpError("invalid_request", "timeoutMs must be a non-negative number", {
        url: safeUrl,
      });
    }
    for (let attempt = 0; ; attempt++) {
      const deadline = new RequestDeadline(timeoutMs, request.signal);
      let response: Response;
      try {
        response = await sendOnce(request, url, headers, safeUrl, deadline);
      } catch (error) {
        deadline.dispose();
        const retryable =
          error instanceof HttpError &&
          (error.code === "timeout" || error.code === "network") &&
          (policy?.retryOnNetworkError ?? true);
        if (!retryable || attempt >= maxRetries) throw error;
        await waitBeforeRetry(attempt + 1, undefined, request.signal, safeUrl);
        continue;
      }
      const retryStatus = policy?.retryOnStatus ?? isServerError;
      if (attempt < maxRetries && retryStatus(response.status)) {
        deadline.dispose();
        const hint =
          (policy?.honorRetryAfter ?? true)
            ? parseRetryAfterMs(response.headers.get("retry-after"), now())
            : undefined;
        // Release the discarded response's socket; awaiting the cancel can stall on some bodies.
        void response.body?.cancel().catch(() => {});
        await waitBeforeRetry(attempt + 1, hint, request.signal, safeUrl);
        continue;
      }
      if (!keepDeadlineForBody) deadline.clearTimer();
      return { response, deadline, safeUrl };
    }

    async function waitBeforeRetry(
      retry: number,
      hintMs: number | undefined,
      signal: AbortSignal | undefined,
      safe: string,
    ) {
      const cap = policy?.maxDelayMs ?? 30_000;
      const delay =
        hintMs !== undefined ? Math.min(hintMs, cap) : backoffDelayMs(retry, policy ?? {}, random);
      logger.debug("http retry", { url: safe, retry, delayMs: delay });
      try {
        await wait(delay, signal);
      } catch (cause) {
        throw new HttpError("aborted", `request to ${safe} was aborted`, { url: safe, cause });
      }
    }
  }

  async function readBody(request: JsonRequest): Promise<ReadResponse<string>> {
    const { json, maxBodyBytes, ...rest } = request;
    const prepared: HttpRequest = { ...rest };
    if (json !== undefined) {
      prepared.body = JSON.stringify(json);
      prepared.headers = { "content-type": "application/json", ...request.headers };
    }
    const { response, deadline, safeUrl } = await send(prepared, true);
    try {
      const text = await readCapped(response, maxBodyBytes ?? maxBodyDefault, safeUrl);
      return { status: response.status, ok: response.ok, headers: response.headers, body: text };
    } catch (error) {
      if (error instanceof HttpError) throw error;
      if (deadline.timedOut) {
        throw new HttpError("timeout", `reading the response of ${safeUrl} timed out`, {
          url: safeUrl,
          status: response.status,
          cause: error,
        });
      }
      const code = deadline.controller.signal.aborted ? "aborted" : "network";
      throw new HttpError(code, `reading the response of ${safeUrl} failed`, {
        url: safeUrl,
        status: response.status,
        cause: error,
      });
    } finally {
      deadline.dispose();
    }
  }

  return {
    async request(request) {
      const { response, deadline } = await send(request, false);
      return releaseWhenBodyEnds(response, () => deadline.dispose());
    },
    requestText: readBody,
    async requestJson(request) {
      const read = await readBody(request);
      try {
        return { ...read, body: read.body === "" ? undefined : (JSON.parse(read.body) as unknown) };
      } catch {
        throw new HttpError("invalid_body", `response from ${redactUrl(request.url)} is not JSON`, {
          status: read.status,
          url: redactUrl(request.url),
        });
      }
    },
  };
}

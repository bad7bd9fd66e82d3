/** Stable, machine-readable reasons an HTTP call can fail. Callers switch on these, never on text. */
export type HttpErrorCode =
  /** The deadline passed before the response (or, for JSON/text reads, its body) arrived. */
  | "timeout"
  /** The caller's AbortSignal fired. */
  | "aborted"
  /** DNS, connect, TLS or socket failure, or a request nobody answered. */
  | "network"
  /** The request itself is unusable: bad URL, unsupported scheme, unreplayable body for retry. */
  | "invalid_request"
  /** The body is not what the call expects (for example not JSON); the body is never echoed. */
  | "invalid_body"
  /** The body is larger than the call allows. */
  | "body_too_large"
  /** The custom CA file named by the environment cannot be read. */
  | "invalid_ca"
  /** A proxy variable (`HTTPS_PROXY`, `HTTP_PROXY`) that the WebSocket tunnel cannot use: not an http:// URL. */
  | "invalid_proxy";

/** Extra, non-secret facts attached to an {@link HttpError}. */
export interface HttpErrorDetails {
  /** HTTP status, when a response was received. */
  status?: number;
  /** Request URL with credentials and sensitive query values redacted. */
  url?: string;
  cause?: unknown;
}

// A registered symbol, so an HttpError thrown by another installed copy of this package is still
// recognised (instanceof fails across copies).
const HTTP_ERROR_BRAND = Symbol.for("codex.http.error");

/**
 * The one error class of `@codex/http`.
 *
 * @example
 * ```ts
 * try { await http.request({ method: "GET", url }); }
 * catch (e) { if (HttpError.is(e) && e.code === "timeout") retryLater(); }
 * ```
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly code: HttpErrorCode;
  readonly status: number | undefined;
  readonly url: string | undefined;
  readonly [HTTP_ERROR_BRAND] = true;

  /**
   * True for an {@link HttpError} from any installed copy of `@codex/http`. Use it instead of
   * `instanceof`, which fails when two versions of the package are installed side by side.
   */
  static is(value: unknown): value is HttpError {
    return (
      value instanceof Error &&
      (value as { [HTTP_ERROR_BRAND]?: unknown })[HTTP_ERROR_BRAND] === true &&
      typeof (value as { code?: unknown }).code === "string"
    );
  }

  constructor(code: HttpErrorCode, message: string, details: HttpErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.url = details.url;
  }
}

import type { RateLimitSnapshot } from "./rate-limits.js";

/** Stable, machine-readable reasons a model call fails. Callers switch on these, never on text. */
export type ModelClientErrorCode =
  /** A caller-supplied value is unusable (bad provider, empty model, ...). */
  | "invalid_argument"
  /** The stream broke: cut connection, idle timeout, `response.incomplete`, parser error. */
  | "stream"
  /** `response.failed` with a retryable code (optionally with a server delay hint). */
  | "retryable"
  /** HTTP 429 (not transport-retried): `exceeded retry limit, last status: 429 …`. */
  | "retry_limit"
  /** 5xx still failing after every transport retry. */
  | "internal_server_error"
  /** 503 `server_is_overloaded` / `slow_down`, or the same `response.failed` codes. */
  | "server_overloaded"
  /** `insufficient_quota`. */
  | "quota_exceeded"
  /** `usage_not_included`. */
  | "usage_not_included"
  /** 429 `usage_limit_reached`: the plan's usage limit. */
  | "usage_limit_reached"
  /** `context_length_exceeded`. */
  | "context_window_exceeded"
  /** 400 or `invalid_prompt`: the request itself was refused. */
  | "invalid_request"
  /** `cyber_policy`. */
  | "cyber_policy"
  /** Any other HTTP status (401 after recovery included). */
  | "unexpected_status"
  /** The 401 recovery could not refresh the credentials for good. */
  | "refresh_token_failed"
  /** No credentials for a provider that needs them (missing `env_key` variable, no login). */
  | "missing_auth"
  /** The response headers did not arrive in time. */
  | "timeout"
  /** DNS, connect, TLS or socket failure. */
  | "connection_failed"
  /** The caller's AbortSignal fired. */
  | "aborted";

/** Non-secret facts attached to a {@link ModelClientError}. */
export interface ModelClientErrorDetails {
  /** HTTP status, when a response (or WebSocket error frame) carried one. */
  readonly status?: number;
  /** `x-request-id` / `x-oai-request-id` / `cf-ray` of the failing response. */
  readonly requestId?: string;
  /** Server delay hint (`Retry-After`, or `try again in …` of a rate-limit failure), in ms. */
  readonly retryAfterMs?: number;
  /** Error code from the response body (`error.code`), when there was one. */
  readonly errorCode?: string;
  /** Plan type of a usage-limit error. */
  readonly planType?: string;
  /** Epoch seconds at which a usage limit resets. */
  readonly resetsAt?: number;
  /** The limit family a usage-limit error names (`x-codex-active-limit`), from the headers. */
  readonly rateLimits?: RateLimitSnapshot;
  /** `x-codex-promo-message` of a usage-limit error. */
  readonly promoMessage?: string;
  readonly cause?: unknown;
}

const BRAND = Symbol.for("codex.model-client.error");

const RETRYABLE: ReadonlySet<ModelClientErrorCode> = new Set<ModelClientErrorCode>([
  "stream",
  "retryable",
  "timeout",
  "connection_failed",
  "unexpected_status",
  "internal_server_error",
]);

/**
 * The one error class of `@codex/model-client`. Messages never contain a token, key or
 * assertion; response bodies are included only as upstream does for `invalid_request`.
 *
 * @example
 * ```ts
 * try { for await (const event of session.stream(prompt, turn)) render(event); }
 * catch (e) { if (ModelClientError.is(e) && e.code === "quota_exceeded") showBilling(); }
 * ```
 */
export class ModelClientError extends Error {
  override readonly name = "ModelClientError";
  readonly code: ModelClientErrorCode;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly errorCode: string | undefined;
  readonly planType: string | undefined;
  readonly resetsAt: number | undefined;
  readonly rateLimits: RateLimitSnapshot | undefined;
  readonly promoMessage: string | undefined;
  readonly [BRAND] = true;

  /** True for a {@link ModelClientError} from any installed copy of this package. */
  static is(value: unknown): value is ModelClientError {
    return (
      value instanceof Error &&
      (value as { [BRAND]?: unknown })[BRAND] === true &&
      typeof (value as { code?: unknown }).code === "string"
    );
  }

  constructor(code: ModelClientErrorCode, message: string, details: ModelClientErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.errorCode = details.errorCode;
    this.planType = details.planType;
    this.resetsAt = details.resetsAt;
    this.rateLimits = details.rateLimits;
    this.promoMessage = details.promoMessage;
  }

  /**
   * Whether upstream's turn loop sends the request again (its retryable set: stream, timeout,
   * connection, unexpected status, 5xx). Quota, usage, context-window and 429 errors are final.
   * `ModelClientSession.stream` already resends these within `streamMaxRetries`; an error that
   * reaches the caller has used that budget.
   */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

/** Every failure {@link FakeBackendError} can report, for callers to switch on. */
export type FakeBackendErrorCode =
  | "invalid_options"
  | "invalid_script"
  | "listen_failed"
  | "close_failed";

/**
 * The one error class of `@codex/fake-backend`. Messages never contain tokens, keys or codes.
 *
 * @example
 * ```ts
 * try { await startFakeBackend({ port: -1 }); }
 * catch (error) { if (error instanceof FakeBackendError && error.code === "invalid_options") {} }
 * ```
 */
export class FakeBackendError extends Error {
  /** What failed; stable across releases. */
  readonly code: FakeBackendErrorCode;

  constructor(code: FakeBackendErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "FakeBackendError";
    this.code = code;
  }
}

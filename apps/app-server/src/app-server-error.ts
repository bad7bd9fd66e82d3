/** What went wrong in the app-server (callers switch on `code`, never on the message). */
export type AppServerErrorCode =
  | "invalid_options"
  | "config_invalid"
  | "auth_refresh_failed"
  | "routing_failed"
  | "backend_failed";

/** Options of {@link AppServerError}. */
export interface AppServerErrorOptions {
  readonly cause?: unknown;
}

/**
 * The one error class of `@codex/app-server`. Messages never contain a token, key or code.
 *
 * @example
 * try { await runAppServer(options); } catch (e) { if (AppServerError.is(e)) console.error(e.code); }
 */
export class AppServerError extends Error {
  override readonly name = "AppServerError";
  readonly code: AppServerErrorCode;

  constructor(code: AppServerErrorCode, message: string, options: AppServerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** Whether `value` is an {@link AppServerError}. */
  static is(value: unknown): value is AppServerError {
    return value instanceof AppServerError;
  }
}

import type { JSONRPCErrorError } from "./envelope.js";

/**
 * What went wrong, for callers to switch on:
 * - `invalid_json`, `message_too_large`, `invalid_message`: an incoming line could not be used;
 * - `unknown_method`: a method this package does not know;
 * - `invalid_params` / `invalid_result`: a payload failed its method's schema;
 * - `rpc_error`: an error reply (from the peer, or thrown by a handler to send one); see `rpcError`;
 * - `request_timeout`, `request_aborted`: a pending request gave up;
 * - `disconnected`: the stream closed or the peer was closed; pending requests fail with it;
 * - `write_failed`: the output stream refused a message;
 * - `invalid_options`: a size limit or timeout that is not a usable number.
 */
export type AppServerProtocolErrorCode =
  | "invalid_json"
  | "message_too_large"
  | "invalid_message"
  | "unknown_method"
  | "invalid_params"
  | "invalid_result"
  | "rpc_error"
  | "request_timeout"
  | "request_aborted"
  | "disconnected"
  | "write_failed"
  | "invalid_options";

/** Options of {@link AppServerProtocolError}. */
export interface AppServerProtocolErrorOptions {
  /** The underlying error (ES2022 `cause`). */
  cause?: unknown;
  /** For `rpc_error`: the JSON-RPC error object received or to be sent. */
  rpcError?: JSONRPCErrorError;
}

// A registered symbol, so an error thrown by another installed copy of this package is still
// recognised (instanceof fails across copies).
const APP_SERVER_PROTOCOL_ERROR_BRAND = Symbol.for("codex.app-server-protocol.error");

/**
 * The one error class of this package. Messages name what failed and never quote payload values
 * (which may hold tokens).
 *
 * @example
 * // In a request handler: reply with a JSON-RPC error.
 * throw AppServerProtocolError.rpc(-32600, "Not initialized");
 */
export class AppServerProtocolError extends Error {
  /** Machine-readable reason. */
  readonly code: AppServerProtocolErrorCode;
  readonly [APP_SERVER_PROTOCOL_ERROR_BRAND] = true;

  /**
   * True for an {@link AppServerProtocolError} from any installed copy of this package. Use it
   * instead of `instanceof`, which fails when two versions are installed side by side.
   */
  static is(value: unknown): value is AppServerProtocolError {
    return (
      value instanceof Error &&
      (value as { [APP_SERVER_PROTOCOL_ERROR_BRAND]?: unknown })[
        APP_SERVER_PROTOCOL_ERROR_BRAND
      ] === true &&
      typeof (value as { code?: unknown }).code === "string"
    );
  }
  /** The JSON-RPC error object, when `code` is `rpc_error`. */
  readonly rpcError: JSONRPCErrorError | undefined;

  constructor(
    code: AppServerProtocolErrorCode,
    message: string,
    options: AppServerProtocolErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppServerProtocolError";
    this.code = code;
    this.rpcError = options.rpcError;
  }

  /** An `rpc_error` carrying `{code, message, data?}`; thrown by a handler it becomes the error reply. */
  static rpc(code: number, message: string, data?: unknown): AppServerProtocolError {
    const rpcError: JSONRPCErrorError =
      data === undefined ? { code, message } : { code, message, data };
    return new AppServerProtocolError("rpc_error", `JSON-RPC error ${code}: ${message}`, {
      rpcError,
    });
  }
}

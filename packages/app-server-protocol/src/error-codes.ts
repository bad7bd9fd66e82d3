import type { JSONRPCErrorError } from "./envelope.js";

/** `-32600`: undecodable request (unknown method, bad or missing params), `Not initialized`, `Already initialized`, policy errors. */
export const INVALID_REQUEST_ERROR_CODE = -32600;
/** `-32601`: defined by JSON-RPC; upstream does not use it for unknown methods (those get `-32600`). */
export const METHOD_NOT_FOUND_ERROR_CODE = -32601;
/** `-32602`: invalid params, used by a few handlers. */
export const INVALID_PARAMS_ERROR_CODE = -32602;
/** `-32603`: server-side failure (saving credentials, backend calls, serialisation). */
export const INTERNAL_ERROR_CODE = -32603;
/** `-32001`: ingress queue full; retryable. */
export const OVERLOADED_ERROR_CODE = -32001;

/** Message of the `-32600` reply to a request sent before a successful `initialize`. */
export const NOT_INITIALIZED_MESSAGE = "Not initialized";
/** Message of the `-32600` reply to a second `initialize` on one connection. */
export const ALREADY_INITIALIZED_MESSAGE = "Already initialized";
/** Message of the `-32001` reply sent when the ingress queue is full. */
export const OVERLOADED_MESSAGE = "Server overloaded; retry later.";

/**
 * Builds the `error` member of an error reply.
 *
 * @example
 * rpcErrorObject(INVALID_REQUEST_ERROR_CODE, NOT_INITIALIZED_MESSAGE)
 * // { code: -32600, message: "Not initialized" }
 */
export function rpcErrorObject(code: number, message: string, data?: unknown): JSONRPCErrorError {
  return data === undefined ? { code, message } : { code, message, data };
}

/** `-32600` `Not initialized`. */
export function notInitializedError(): JSONRPCErrorError {
  return rpcErrorObject(INVALID_REQUEST_ERROR_CODE, NOT_INITIALIZED_MESSAGE);
}

/** `-32600` `Already initialized`. */
export function alreadyInitializedError(): JSONRPCErrorError {
  return rpcErrorObject(INVALID_REQUEST_ERROR_CODE, ALREADY_INITIALIZED_MESSAGE);
}

/** `-32001` `Server overloaded; retry later.` */
export function overloadedError(): JSONRPCErrorError {
  return rpcErrorObject(OVERLOADED_ERROR_CODE, OVERLOADED_MESSAGE);
}

/** `-32600` `Invalid request: <detail>` (the reply to an undecodable request). */
export function invalidRequestError(detail: string): JSONRPCErrorError {
  return rpcErrorObject(INVALID_REQUEST_ERROR_CODE, `Invalid request: ${detail}`);
}

/** `-32603` with the given message (default `Internal error`). */
export function internalError(message = "Internal error"): JSONRPCErrorError {
  return rpcErrorObject(INTERNAL_ERROR_CODE, message);
}

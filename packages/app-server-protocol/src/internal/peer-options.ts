import type { Readable, Writable } from "node:stream";
import type { Logger } from "@codex/wire";
import type { JSONRPCErrorError, RequestId, W3cTraceContext } from "../envelope.js";
import type { IncomingNotifications, IncomingRequests, Role } from "../message-codec.js";
import type { ParamsOutput, ResultInput, TypedNotification } from "../method-maps.js";
import { AppServerProtocolError } from "../protocol-error.js";

/** Timer functions, injectable so tests control time. */
export interface PeerTimers {
  /** Schedules `callback` after `ms`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a scheduled callback. */
  clearTimeout(handle: unknown): void;
}

/** The real timer functions (the default of `PeerOptions.timers`). */
export const realTimers: PeerTimers = {
  setTimeout: (callback, ms) => {
    return setTimeout(callback, ms);
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Context given to a request handler. */
export interface RequestContext {
  /** The request id (the reply echoes it). */
  id: RequestId;
  /** Aborted when the connection closes before the handler finishes. */
  signal: AbortSignal;
}

/**
 * Handlers for the requests side `R` receives. Return the result, or throw
 * `AppServerProtocolError.rpc(code, message)` to reply with an error; any other throw replies
 * `-32603 Internal error`.
 */
export type RequestHandlers<R extends Role> = {
  [M in keyof IncomingRequests<R> & string]?: (
    params: ParamsOutput<IncomingRequests<R>, M>,
    context: RequestContext,
  ) => ResultInput<IncomingRequests<R>, M> | Promise<ResultInput<IncomingRequests<R>, M>>;
};

/** Per-request options. */
export interface RequestOptions {
  /** Gives up after this many ms (overrides the peer's `requestTimeoutMs`; `0` = never). */
  timeoutMs?: number;
  /** Gives up when aborted; a late reply is then logged and ignored. */
  signal?: AbortSignal;
  /** W3C trace context sent with the request. */
  trace?: W3cTraceContext;
}

/** Arguments after the method: params are optional only for methods whose params may be omitted. */
export type RequestArgs<P> = undefined extends P
  ? [params?: P, options?: RequestOptions]
  : [params: P, options?: RequestOptions];

/** Arguments of `notify` after the method. */
export type NotifyArgs<P> = undefined extends P ? [params?: P] : [params: P];

/** Options of `ProtocolPeer`. */
export interface PeerOptions<R extends Role> {
  /** Which side this peer speaks for. */
  role: R;
  /** Incoming bytes (newline-framed JSON). */
  input: Readable;
  /** Outgoing bytes. */
  output: Writable;
  /** The `@codex/wire` logger that receives drop/ignore warnings (default: `silentLogger`). */
  logger?: Logger;
  /** Largest accepted incoming line in bytes (default 32 MiB); longer lines are discarded. */
  maxMessageBytes?: number;
  /** Default per-request timeout in ms (default `0`: none). */
  requestTimeoutMs?: number;
  /** Handlers for incoming requests. Unhandled methods get `-32601`. */
  handlers?: RequestHandlers<R>;
  /** Called with every valid incoming notification. */
  onNotification?: (notification: TypedNotification<IncomingNotifications<R>>) => void;
  /** First outgoing request id (default `0`, like upstream). Ignored when `nextRequestId` is given. */
  firstRequestId?: number;
  /**
   * Supplies outgoing request ids, e.g. a process-wide counter shared by every connection (as
   * upstream numbers server requests). Ids must not repeat while a request is pending.
   */
  nextRequestId?: () => RequestId;
  /**
   * Runs before the handler of every valid incoming request; returning an error object replies
   * with it instead of calling the handler (e.g. `notInitializedError()` before `initialize`, or
   * `overloadedError()` when a queue is full).
   */
  requestGate?: (request: { id: RequestId; method: string }) => JSONRPCErrorError | undefined;
  /** Timer functions (default: the real ones). */
  timers?: PeerTimers;
  /** Clock of the `emittedAtMs` member of the notifications a server peer sends (default `Date.now`). */
  now?: () => number;
}

/** Checks a timeout option: a number of ms between 0 and the largest timer delay. */
export function checkTimeout(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 2_147_483_647) {
    throw new AppServerProtocolError(
      "invalid_options",
      `${name} must be a number of milliseconds between 0 and 2147483647`,
    );
  }
  return value;
}

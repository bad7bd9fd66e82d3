import type { Readable, Writable } from "node:stream";
import { type Logger, silentLogger } from "@codex/wire";
import type { JSONRPCErrorError, RequestId, W3cTraceContext } from "./envelope.js";
import {
  INTERNAL_ERROR_CODE,
  internalError,
  METHOD_NOT_FOUND_ERROR_CODE,
  rpcErrorObject,
} from "./error-codes.js";
import { LineSplitter } from "./internal/line-splitter.js";
import {
  checkPositiveInteger,
  createCodec,
  DEFAULT_MAX_MESSAGE_BYTES,
  type IncomingNotifications,
  type IncomingRequests,
  type OutgoingNotifications,
  type OutgoingRequests,
  type ProtocolCodec,
  type Role,
} from "./message-codec.js";
import type {
  ParamsInput,
  ParamsOutput,
  ResultInput,
  ResultOutput,
  TypedNotification,
} from "./method-maps.js";
import { AppServerProtocolError } from "./protocol-error.js";

/** Timer functions, injectable so tests control time. */
export interface PeerTimers {
  /** Schedules `callback` after `ms`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a scheduled callback. */
  clearTimeout(handle: unknown): void;
}

const realTimers: PeerTimers = {
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

/** Options of {@link ProtocolPeer}. */
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

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(error: AppServerProtocolError): void;
  cleanup(): void;
}

/**
 * Speaks the protocol over a pair of Node streams: newline framing with a size limit, a table of
 * pending requests with timeouts and AbortSignal, typed handlers for incoming requests, and
 * rejection of every pending request when the connection closes.
 *
 * @example
 * const client = new ProtocolPeer({ role: "client", input: fromServer, output: toServer });
 * const init = await client.request("initialize", { clientInfo: { name: "acme", version: "1.0.0" } });
 * client.notify("initialized");
 * const { account } = await client.request("account/read", {});
 */
export class ProtocolPeer<R extends Role> {
  /** The codec used for every message. */
  readonly codec: ProtocolCodec<R>;
  readonly #input: Readable;
  readonly #output: Writable;
  readonly #logger: Logger;
  readonly #timers: PeerTimers;
  readonly #defaultTimeoutMs: number;
  readonly #handlers: RequestHandlers<R>;
  readonly #onNotification: PeerOptions<R>["onNotification"];
  readonly #splitter: LineSplitter;
  readonly #pending = new Map<RequestId, Pending>();
  /** Number of incoming requests whose handler has not settled. */
  #inFlight = 0;
  /** Aborted at disconnect: the one signal every handler sees (one per connection, not per request). */
  readonly #handlersController = new AbortController();
  readonly #nextRequestId: () => RequestId;
  readonly #requestGate: PeerOptions<R>["requestGate"];
  #closed = false;
  /** The input ended cleanly: no reply can come, but handlers still running may answer. */
  #inputEnded = false;
  #closeReason: AppServerProtocolError | undefined;
  readonly #closedPromise: Promise<void>;
  #resolveClosed!: () => void;
  readonly #listeners: Array<[Readable | Writable, string, (...args: never[]) => void]> = [];

  constructor(options: PeerOptions<R>) {
    const maxMessageBytes = checkPositiveInteger(
      options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      "maxMessageBytes",
    );
    this.codec = createCodec(
      options.role,
      options.now === undefined ? { maxMessageBytes } : { maxMessageBytes, now: options.now },
    );
    this.#input = options.input;
    this.#output = options.output;
    this.#logger = options.logger ?? silentLogger;
    this.#timers = options.timers ?? realTimers;
    this.#defaultTimeoutMs = checkTimeout(options.requestTimeoutMs ?? 0, "requestTimeoutMs");
    this.#handlers = options.handlers ?? {};
    this.#onNotification = options.onNotification;
    let counter = options.firstRequestId ?? 0;
    this.#nextRequestId = options.nextRequestId ?? (() => counter++);
    this.#requestGate = options.requestGate;
    this.#closedPromise = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#splitter = new LineSplitter(maxMessageBytes, {
      line: (text) => this.#onLine(text),
      oversize: (limit) =>
        this.#warn("dropped incoming message over the size limit", {
          reason: "message_too_large",
          limitBytes: limit,
        }),
    });
    this.#listen(this.#input, "data", (chunk: Buffer | string) => this.#splitter.push(chunk));
    this.#listen(this.#input, "end", () => {
      this.#splitter.end();
      this.#endInput();
    });
    this.#listen(this.#input, "close", () => {
      if (!this.#inputEnded) this.#disconnect("input stream closed");
    });
    this.#listen(this.#input, "error", (error: Error) =>
      this.#disconnect("input stream failed", error),
    );
    this.#listen(this.#output, "close", () => this.#disconnect("output stream closed"));
    this.#listen(this.#output, "error", (error: Error) =>
      this.#disconnect("output stream failed", error),
    );
  }

  /** Whether the connection is closed (no further requests can be sent). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves once the connection has closed. */
  get whenClosed(): Promise<void> {
    return this.#closedPromise;
  }

  /** Number of requests awaiting a reply. */
  get pendingRequests(): number {
    return this.#pending.size;
  }

  /**
   * Sends a request and resolves with its validated result. Rejects with an
   * `AppServerProtocolError`: `invalid_params` (nothing sent), `rpc_error` (error reply; see
   * `rpcError`), `invalid_result`, `request_timeout`, `request_aborted`, `disconnected`,
   * `write_failed`, `invalid_options` (a bad timeout, or a repeated id from `nextRequestId`).
   */
  request<M extends keyof OutgoingRequests<R> & string>(
    method: M,
    ...args: RequestArgs<ParamsInput<OutgoingRequests<R>, M>>
  ): Promise<ResultOutput<OutgoingRequests<R>, M>> {
    const [params, options = {}] = args as [unknown, RequestOptions | undefined];
    if (this.#closed) return Promise.reject(this.#disconnectedError());
    if (this.#inputEnded) {
      return Promise.reject(
        new AppServerProtocolError("disconnected", `request ${method} failed: input stream ended`),
      );
    }
    if (options.signal?.aborted) {
      return Promise.reject(
        new AppServerProtocolError("request_aborted", `request ${method} was aborted`, {
          cause: options.signal.reason,
        }),
      );
    }
    let timeoutMs: number;
    let line: string;
    let id: RequestId;
    try {
      timeoutMs = checkTimeout(options.timeoutMs ?? this.#defaultTimeoutMs, "timeoutMs");
      id = this.#nextRequestId();
      if (this.#pending.has(id)) {
        throw new AppServerProtocolError(
          "invalid_options",
          "nextRequestId returned the id of a request that is still pending",
        );
      }
      line = this.codec.encodeRequest(id, method, params as never, options.trace);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      let timer: unknown;
      const onAbort = () => {
        this.#pending.delete(id);
        pending.cleanup();
        reject(
          new AppServerProtocolError("request_aborted", `request ${method} was aborted`, {
            cause: options.signal?.reason,
          }),
        );
      };
      const pending: Pending = {
        method,
        resolve: resolve as (value: unknown) => void,
        reject,
        cleanup: () => {
          if (timer !== undefined) this.#timers.clearTimeout(timer);
          options.signal?.removeEventListener("abort", onAbort);
        },
      };
      if (timeoutMs > 0) {
        timer = this.#timers.setTimeout(() => {
          this.#pending.delete(id);
          pending.cleanup();
          reject(
            new AppServerProtocolError(
              "request_timeout",
              `request ${method} timed out after ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
      }
      options.signal?.addEventListener("abort", onAbort, { once: true });
      this.#pending.set(id, pending);
      this.#write(line, (error) => {
        if (this.#pending.get(id) !== pending) return;
        this.#pending.delete(id);
        pending.cleanup();
        reject(
          new AppServerProtocolError("write_failed", `could not send request ${method}`, {
            cause: error,
          }),
        );
      });
    });
  }

  /** Sends a notification (validated first; throws `invalid_params` or `disconnected`). */
  notify<M extends keyof OutgoingNotifications<R> & string>(
    method: M,
    ...args: NotifyArgs<ParamsInput<OutgoingNotifications<R>, M>>
  ): void {
    if (this.#closed) throw this.#disconnectedError();
    const line = this.codec.encodeNotification(method, args[0] as never);
    this.#write(line, (error) =>
      this.#warn("could not send notification", { method, error: errorName(error) }),
    );
  }

  /**
   * Closes the connection: every pending request is rejected with `disconnected`, in-flight
   * handlers see their signal abort, and the output stream is ended.
   */
  close(): void {
    if (this.#closed) return;
    this.#disconnect("closed by caller");
    this.#output.end();
  }

  /** Logs through the injected logger; a logger that throws never breaks the connection. */
  #warn(message: string, fields?: Record<string, unknown>): void {
    try {
      this.#logger.warn(message, fields);
    } catch {
      // The logger is the only place to report its own failure; drop the entry.
    }
  }

  #listen(stream: Readable | Writable, event: string, handler: (...args: never[]) => void): void {
    stream.on(event, handler as (...args: unknown[]) => void);
    this.#listeners.push([stream, event, handler]);
  }

  #disconnectedError(): AppServerProtocolError {
    return this.#closeReason ?? new AppServerProtocolError("disconnected", "connection is closed");
  }

  /**
   * A clean end of input (the client half-closed): requests sent to it can no longer be answered
   * and are rejected at once, while the handlers still running finish and write their replies;
   * the connection closes when the last of them has settled.
   */
  #endInput(): void {
    if (this.#closed || this.#inputEnded) return;
    this.#inputEnded = true;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) {
      entry.cleanup();
      entry.reject(
        new AppServerProtocolError(
          "disconnected",
          `request ${entry.method} failed: connection closed (input stream ended)`,
        ),
      );
    }
    if (this.#inFlight === 0) this.#disconnect("input stream ended");
  }

  #disconnect(reason: string, cause?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeReason = new AppServerProtocolError(
      "disconnected",
      `connection closed: ${reason}`,
      cause === undefined ? {} : { cause },
    );
    for (const [stream, event, handler] of this.#listeners) {
      if (event !== "error") stream.off(event, handler as (...args: unknown[]) => void);
    }
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) {
      entry.cleanup();
      entry.reject(
        new AppServerProtocolError(
          "disconnected",
          `request ${entry.method} failed: connection closed (${reason})`,
          { cause: this.#closeReason },
        ),
      );
    }
    this.#handlersController.abort(this.#closeReason);
    this.#resolveClosed();
  }

  #write(line: string, onError: (error: unknown) => void): void {
    try {
      this.#output.write(`${line}\n`, (error) => {
        if (error) onError(error);
      });
    } catch (error) {
      onError(error);
    }
  }

  /** Replies with `error`, or with `-32603` when `error` is not a sendable error object. */
  #replyError(id: RequestId, error: JSONRPCErrorError): void {
    let line: string;
    try {
      line = this.codec.encodeError(id, error);
    } catch (cause) {
      this.#warn("could not send an error reply as given", { id, error: errorName(cause) });
      line = this.codec.encodeError(id, internalError());
    }
    this.#reply(line);
  }

  #reply(line: string): void {
    if (this.#closed) return;
    this.#write(line, (error) => this.#warn("could not send reply", { error: errorName(error) }));
  }

  #onLine(text: string): void {
    if (this.#closed) return;
    if (text.trim() === "") return;
    const message = this.codec.decode(text);
    switch (message.kind) {
      case "dropped":
        this.#warn("dropped incoming message", {
          reason: message.reason,
          detail: message.detail,
          ...(message.method === undefined ? {} : { method: message.method }),
        });
        return;
      case "rejected": {
        this.#warn("rejected incoming request", {
          reason: message.reason,
          id: message.id,
          method: message.method.slice(0, 100),
        });
        // A method upstream serves but this package does not model passes the gate first, as
        // upstream answers `Not initialized` to any known method before initialize.
        const refusal =
          message.reason === "unsupported_method"
            ? this.#gate(message.id, message.method)
            : undefined;
        this.#replyError(message.reply.id, refusal ?? message.reply.error);
        return;
      }
      case "notification":
        this.#deliverNotification(message);
        return;
      case "request":
        this.#handleRequest(message.id, message.method, message.params);
        return;
      case "response":
        this.#settle(message.id, (pending) => {
          let result: unknown;
          try {
            result = this.codec.parseResult(pending.method as never, message.result);
          } catch (error) {
            pending.reject(error as AppServerProtocolError);
            return;
          }
          pending.resolve(result);
        });
        return;
      case "error":
        this.#settle(message.id, (pending) => {
          pending.reject(
            new AppServerProtocolError(
              "rpc_error",
              `request ${pending.method} failed with JSON-RPC error ${message.error.code}`,
              { rpcError: message.error },
            ),
          );
        });
        return;
    }
  }

  #settle(id: RequestId, action: (pending: Pending) => void): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) {
      this.#warn("ignored reply for an unknown or finished request", { id });
      return;
    }
    this.#pending.delete(id);
    pending.cleanup();
    action(pending);
  }

  #deliverNotification(message: { method: string; params: unknown }): void {
    if (this.#onNotification === undefined) return;
    try {
      this.#onNotification({ method: message.method, params: message.params } as never);
    } catch (error) {
      this.#warn("notification listener threw", {
        method: message.method,
        error: errorName(error),
      });
    }
  }

  #gate(id: RequestId, method: string): JSONRPCErrorError | undefined {
    if (this.#requestGate === undefined) return undefined;
    try {
      return this.#requestGate({ id, method });
    } catch (error) {
      this.#warn("request gate threw", { method, id, error: errorName(error) });
      return internalError();
    }
  }

  #handleRequest(id: RequestId, method: string, params: unknown): void {
    const refusal = this.#gate(id, method);
    if (refusal !== undefined) {
      this.#replyError(id, refusal);
      return;
    }
    const handler = (this.#handlers as Record<string, unknown>)[method] as
      | ((params: unknown, context: RequestContext) => unknown)
      | undefined;
    if (handler === undefined) {
      this.#reply(
        this.codec.encodeError(
          id,
          rpcErrorObject(METHOD_NOT_FOUND_ERROR_CODE, `Method not handled: ${method}`),
        ),
      );
      return;
    }
    const signal = this.#handlersController.signal;
    this.#inFlight++;
    Promise.resolve()
      .then(() => handler(params, { id, signal }))
      .then(
        (result) => {
          let line: string;
          try {
            line = this.codec.encodeResult(id, method as never, result as never);
          } catch (error) {
            this.#warn("request handler returned an invalid result", {
              method,
              id,
              error: errorName(error),
            });
            line = this.codec.encodeError(id, internalError());
          }
          this.#reply(line);
        },
        (error: unknown) => {
          if (AppServerProtocolError.is(error) && error.rpcError !== undefined) {
            this.#replyError(id, error.rpcError);
            return;
          }
          this.#warn("request handler threw", { method, id, error: errorName(error) });
          this.#reply(
            this.codec.encodeError(id, rpcErrorObject(INTERNAL_ERROR_CODE, "Internal error")),
          );
        },
      )
      .finally(() => {
        this.#inFlight--;
        if (this.#inputEnded && this.#inFlight === 0) this.#disconnect("input stream ended");
      });
  }
}

function checkTimeout(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 2_147_483_647) {
    throw new AppServerProtocolError(
      "invalid_options",
      `${name} must be a number of milliseconds between 0 and 2147483647`,
    );
  }
  return value;
}

function errorName(error: unknown): string {
  if (AppServerProtocolError.is(error)) return `${error.name}(${error.code})`;
  if (error instanceof Error) return error.name;
  return typeof error;
}

/** The JSON-RPC error object of an `rpc_error`, if `error` is one. */
export function rpcErrorOf(error: unknown): JSONRPCErrorError | undefined {
  return AppServerProtocolError.is(error) ? error.rpcError : undefined;
}

/**
 * A client-side peer (sends client requests, handles server requests). Prefer this over
 * `new ProtocolPeer({ role: "client", ... })`: with the role fixed, handler results are
 * contextually typed even when the handlers are `async`.
 *
 * @example
 * const client = createClientPeer({ input: child.stdout, output: child.stdin, handlers: {
 *   "attestation/generate": async () => ({ token: await attest() }),
 * } });
 */
export function createClientPeer(
  options: Omit<PeerOptions<"client">, "role">,
): ProtocolPeer<"client"> {
  return new ProtocolPeer<"client">({ ...options, role: "client" });
}

/** A server-side peer (sends server requests and notifications, handles client requests). */
export function createServerPeer(
  options: Omit<PeerOptions<"server">, "role">,
): ProtocolPeer<"server"> {
  return new ProtocolPeer<"server">({ ...options, role: "server" });
}

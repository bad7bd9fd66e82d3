import type { Readable, Writable } from "node:stream";
import { silentLogger } from "@codex/wire";
import type { JSONRPCErrorError, RequestId } from "./envelope.js";
import { type AttachedStreams, attachStreams, writeLine } from "./internal/connection-streams.js";
import { IncomingDispatch } from "./internal/incoming-dispatch.js";
import {
  checkTimeout,
  type NotifyArgs,
  type PeerOptions,
  type RequestArgs,
  type RequestOptions,
  realTimers,
} from "./internal/peer-options.js";
import { createPeerWarn, errorName, type PeerWarn } from "./internal/peer-warnings.js";
import { PendingRequests } from "./internal/pending-requests.js";
import {
  checkPositiveInteger,
  createCodec,
  DEFAULT_MAX_MESSAGE_BYTES,
  type OutgoingNotifications,
  type OutgoingRequests,
  type ProtocolCodec,
  type Role,
} from "./message-codec.js";
import type { ParamsInput, ResultOutput } from "./method-maps.js";
import { AppServerProtocolError } from "./protocol-error.js";

export type {
  NotifyArgs,
  PeerOptions,
  PeerTimers,
  RequestArgs,
  RequestContext,
  RequestHandlers,
  RequestOptions,
} from "./internal/peer-options.js";

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
  readonly #output: Writable;
  readonly #warn: PeerWarn;
  readonly #defaultTimeoutMs: number;
  readonly #pending: PendingRequests;
  readonly #incoming: IncomingDispatch<R>;
  readonly #nextRequestId: () => RequestId;
  readonly #streams: AttachedStreams;
  #closed = false;
  /** The input ended cleanly: no reply can come, but handlers still running may answer. */
  #inputEnded = false;
  #closeReason: AppServerProtocolError | undefined;
  readonly #closedPromise: Promise<void>;
  #resolveClosed!: () => void;

  constructor(options: PeerOptions<R>) {
    const maxMessageBytes = checkPositiveInteger(
      options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      "maxMessageBytes",
    );
    this.codec = createCodec(
      options.role,
      options.now === undefined ? { maxMessageBytes } : { maxMessageBytes, now: options.now },
    );
    const input: Readable = options.input;
    this.#output = options.output;
    this.#warn = createPeerWarn(options.logger ?? silentLogger);
    this.#defaultTimeoutMs = checkTimeout(options.requestTimeoutMs ?? 0, "requestTimeoutMs");
    this.#pending = new PendingRequests(options.timers ?? realTimers, this.#warn);
    this.#incoming = new IncomingDispatch<R>({
      codec: this.codec,
      warn: this.#warn,
      reply: (line) => this.#reply(line),
      settled: () => {
        if (this.#inputEnded && this.#incoming.inFlight === 0)
          this.#disconnect("input stream ended");
      },
      handlers: options.handlers,
      requestGate: options.requestGate,
      onNotification: options.onNotification,
    });
    let counter = options.firstRequestId ?? 0;
    this.#nextRequestId = options.nextRequestId ?? (() => counter++);
    this.#closedPromise = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#streams = attachStreams(input, this.#output, maxMessageBytes, {
      line: (text) => this.#onLine(text),
      oversize: (limit) =>
        this.#warn("dropped incoming message over the size limit", {
          reason: "message_too_large",
          limitBytes: limit,
        }),
      inputEnded: () => this.#endInput(),
      inputClosed: () => {
        if (!this.#inputEnded) this.#disconnect("input stream closed");
      },
      failed: (reason, cause) => this.#disconnect(reason, cause),
    });
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
    return this.#pending.start(id, method, {
      timeoutMs,
      signal: options.signal,
      send: (onError) => writeLine(this.#output, line, onError),
    }) as Promise<ResultOutput<OutgoingRequests<R>, M>>;
  }

  /** Sends a notification (validated first; throws `invalid_params` or `disconnected`). */
  notify<M extends keyof OutgoingNotifications<R> & string>(
    method: M,
    ...args: NotifyArgs<ParamsInput<OutgoingNotifications<R>, M>>
  ): void {
    if (this.#closed) throw this.#disconnectedError();
    const line = this.codec.encodeNotification(method, args[0] as never);
    writeLine(this.#output, line, (error) =>
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
    this.#pending.rejectAll(
      (method) =>
        new AppServerProtocolError(
          "disconnected",
          `request ${method} failed: connection closed (input stream ended)`,
        ),
    );
    if (this.#incoming.inFlight === 0) this.#disconnect("input stream ended");
  }

  #disconnect(reason: string, cause?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    const closeReason = new AppServerProtocolError(
      "disconnected",
      `connection closed: ${reason}`,
      cause === undefined ? {} : { cause },
    );
    this.#closeReason = closeReason;
    this.#streams.detach();
    this.#pending.rejectAll(
      (method) =>
        new AppServerProtocolError(
          "disconnected",
          `request ${method} failed: connection closed (${reason})`,
          { cause: closeReason },
        ),
    );
    this.#incoming.abort(closeReason);
    this.#resolveClosed();
  }

  #reply(line: string): void {
    if (this.#closed) return;
    writeLine(this.#output, line, (error) =>
      this.#warn("could not send reply", { error: errorName(error) }),
    );
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
      case "rejected":
        this.#incoming.rejected(message);
        return;
      case "notification":
        this.#incoming.notification(message);
        return;
      case "request":
        this.#incoming.request(message.id, message.method, message.params);
        return;
      case "response":
        this.#pending.settleResult(message.id, message.result, (method, result) =>
          this.codec.parseResult(method as never, result),
        );
        return;
      case "error":
        this.#pending.settleError(message.id, message.error);
        return;
    }
  }
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

import type { JSONRPCErrorError, RequestId } from "../envelope.js";
import {
  INTERNAL_ERROR_CODE,
  internalError,
  METHOD_NOT_FOUND_ERROR_CODE,
  rpcErrorObject,
} from "../error-codes.js";
import type { IncomingMessage, ProtocolCodec, Role } from "../message-codec.js";
import { AppServerProtocolError } from "../protocol-error.js";
import type { PeerOptions, RequestContext, RequestHandlers } from "./peer-options.js";
import { errorName, type PeerWarn } from "./peer-warnings.js";

/** What {@link IncomingDispatch} needs from its peer. */
export interface DispatchHost<R extends Role> {
  codec: ProtocolCodec<R>;
  warn: PeerWarn;
  /** Writes a reply line (does nothing once the connection is closed). */
  reply(line: string): void;
  /** Called each time a handler settles, after the in-flight count has dropped. */
  settled(): void;
  handlers: RequestHandlers<R> | undefined;
  requestGate: PeerOptions<R>["requestGate"];
  onNotification: PeerOptions<R>["onNotification"];
}

/** A decoded request the codec refused, with the error reply it prepared. */
type RejectedRequest = Extract<IncomingMessage<Role>, { kind: "rejected" }>;

/**
 * Answers what the other side sends: requests go through the request gate to their handler (or
 * get `-32601`), refused requests get their error reply, and notifications reach the listener.
 */
export class IncomingDispatch<R extends Role> {
  readonly #host: DispatchHost<R>;
  readonly #handlers: RequestHandlers<R>;
  /** Number of incoming requests whose handler has not settled. */
  #inFlight = 0;
  /** Aborted at disconnect: the one signal every handler sees (one per connection, not per request). */
  readonly #handlersController = new AbortController();

  constructor(host: DispatchHost<R>) {
    this.#host = host;
    this.#handlers = host.handlers ?? {};
  }

  /** Number of incoming requests whose handler has not settled. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Aborts the signal every running handler sees. */
  abort(reason: unknown): void {
    this.#handlersController.abort(reason);
  }

  /** Replies to a request the codec refused. */
  rejected(message: RejectedRequest): void {
    this.#host.warn("rejected incoming request", {
      reason: message.reason,
      id: message.id,
      method: message.method.slice(0, 100),
    });
    // A method upstream serves but this package does not model passes the gate first, as
    // upstream answers `Not initialized` to any known method before initialize.
    const refusal =
      message.reason === "unsupported_method" ? this.#gate(message.id, message.method) : undefined;
    this.#replyError(message.reply.id, refusal ?? message.reply.error);
  }

  /** Hands a valid notification to the listener; a throwing listener is logged. */
  notification(message: { method: string; params: unknown }): void {
    const onNotification = this.#host.onNotification;
    if (onNotification === undefined) return;
    try {
      onNotification({ method: message.method, params: message.params } as never);
    } catch (error) {
      this.#host.warn("notification listener threw", {
        method: message.method,
        error: errorName(error),
      });
    }
  }

  /** Runs the gate, then the handler of a valid request, and replies with its outcome. */
  request(id: RequestId, method: string, params: unknown): void {
    const { codec, warn } = this.#host;
    const refusal = this.#gate(id, method);
    if (refusal !== undefined) {
      this.#replyError(id, refusal);
      return;
    }
    const handler = (this.#handlers as Record<string, unknown>)[method] as
      | ((params: unknown, context: RequestContext) => unknown)
      | undefined;
    if (handler === undefined) {
      this.#host.reply(
        codec.encodeError(
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
            line = codec.encodeResult(id, method as never, result as never);
          } catch (error) {
            warn("request handler returned an invalid result", {
              method,
              id,
              error: errorName(error),
            });
            line = codec.encodeError(id, internalError());
          }
          this.#host.reply(line);
        },
        (error: unknown) => {
          if (AppServerProtocolError.is(error) && error.rpcError !== undefined) {
            this.#replyError(id, error.rpcError);
            return;
          }
          warn("request handler threw", { method, id, error: errorName(error) });
          this.#host.reply(
            codec.encodeError(id, rpcErrorObject(INTERNAL_ERROR_CODE, "Internal error")),
          );
        },
      )
      .finally(() => {
        this.#inFlight--;
        this.#host.settled();
      });
  }

  #gate(id: RequestId, method: string): JSONRPCErrorError | undefined {
    const requestGate = this.#host.requestGate;
    if (requestGate === undefined) return undefined;
    try {
      return requestGate({ id, method });
    } catch (error) {
      this.#host.warn("request gate threw", { method, id, error: errorName(error) });
      return internalError();
    }
  }

  /** Replies with `error`, or with `-32603` when `error` is not a sendable error object. */
  #replyError(id: RequestId, error: JSONRPCErrorError): void {
    let line: string;
    try {
      line = this.#host.codec.encodeError(id, error);
    } catch (cause) {
      this.#host.warn("could not send an error reply as given", { id, error: errorName(cause) });
      line = this.#host.codec.encodeError(id, internalError());
    }
    this.#host.reply(line);
  }
}

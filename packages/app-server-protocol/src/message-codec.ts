import { JSONRPCErrorError, type RequestId, type W3cTraceContext } from "./envelope.js";
import { lookup, tablesFor } from "./internal/codec-tables.js";
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  type IncomingMessage,
  type IncomingRequests,
  type OutgoingNotifications,
  type OutgoingRequests,
  type Role,
} from "./internal/codec-types.js";
import { checkPositiveInteger, stringify, validateOrThrow } from "./internal/codec-validation.js";
import { createDecoder } from "./internal/incoming-decode.js";
import type { ParamsInput, ResultInput, ResultOutput } from "./method-maps.js";
import { AppServerProtocolError } from "./protocol-error.js";

export {
  DEFAULT_MAX_MESSAGE_BYTES,
  type DropReason,
  type IncomingMessage,
  type IncomingNotifications,
  type IncomingRequests,
  type OutgoingNotifications,
  type OutgoingRequests,
  type Role,
} from "./internal/codec-types.js";
export { checkPositiveInteger, describeIssues } from "./internal/codec-validation.js";

/** Options of {@link createCodec}. */
export interface CodecOptions {
  /** Largest accepted message in UTF-8 bytes (default {@link DEFAULT_MAX_MESSAGE_BYTES}). */
  maxMessageBytes?: number;
  /** Clock of the `emittedAtMs` member of server notifications, in Unix ms (default `Date.now`). */
  now?: () => number;
}

/**
 * Encodes and decodes the messages of one side of the protocol. Every encode validates against the
 * method's schema first (throwing a typed {@link AppServerProtocolError}) and never writes a
 * `jsonrpc` member; decoding classifies every input and never throws.
 *
 * @example
 * const server = createCodec("server");
 * const msg = server.decode('{"id":1,"method":"account/read","params":{}}');
 * if (msg.kind === "request" && msg.method === "account/read") {
 *   server.encodeResult(msg.id, msg.method, { account: null, requiresOpenaiAuth: true });
 * }
 */
export interface ProtocolCodec<R extends Role> {
  /** The side this codec speaks for. */
  readonly role: R;
  /** Classifies one incoming message text (a line without its newline, or a WebSocket frame). */
  decode(text: string): IncomingMessage<R>;
  /** Serialises a request this side sends, after validating `params`. */
  encodeRequest<M extends keyof OutgoingRequests<R> & string>(
    id: RequestId,
    method: M,
    params: ParamsInput<OutgoingRequests<R>, M>,
    trace?: W3cTraceContext,
  ): string;
  /** Serialises a notification this side sends, after validating `params`. */
  encodeNotification<M extends keyof OutgoingNotifications<R> & string>(
    method: M,
    params: ParamsInput<OutgoingNotifications<R>, M>,
  ): string;
  /** Serialises the result of an incoming request `method`, after validating it. */
  encodeResult<M extends keyof IncomingRequests<R> & string>(
    id: RequestId,
    method: M,
    result: ResultInput<IncomingRequests<R>, M>,
  ): string;
  /** Serialises an error reply. */
  encodeError(id: RequestId, error: JSONRPCErrorError): string;
  /** Validates the result of a request this side sent (throws `invalid_result`). */
  parseResult<M extends keyof OutgoingRequests<R> & string>(
    method: M,
    result: unknown,
  ): ResultOutput<OutgoingRequests<R>, M>;
}

/** Creates the codec for one side of the protocol. */
export function createCodec<R extends Role>(role: R, options: CodecOptions = {}): ProtocolCodec<R> {
  const tables = tablesFor(role);
  const maxBytes = checkPositiveInteger(
    options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    "maxMessageBytes",
  );
  const now = options.now ?? Date.now;

  const decode = createDecoder(role, tables, maxBytes);

  const codec: ProtocolCodec<Role> = {
    role,
    decode,
    encodeRequest(id, method, params, trace) {
      const spec = lookup(tables.outRequests, method);
      if (spec === undefined) {
        throw new AppServerProtocolError("unknown_method", `unknown request method for ${role}`);
      }
      validateOrThrow(spec.params, params, "invalid_params", `params of ${method}`);
      const message: Record<string, unknown> = { id, method };
      if (params !== undefined) message.params = params;
      if (trace !== undefined) message.trace = trace;
      return stringify(message, `params of ${method}`);
    },
    encodeNotification(method, params) {
      const spec = lookup(tables.outNotifications, method);
      if (spec === undefined) {
        throw new AppServerProtocolError(
          "unknown_method",
          `unknown notification method for ${role}`,
        );
      }
      validateOrThrow(spec.params, params, "invalid_params", `params of ${method}`);
      const message: Record<string, unknown> = { method };
      if (params !== undefined) message.params = params;
      if (role === "server") message.emittedAtMs = now();
      return stringify(message, `params of ${method}`);
    },
    encodeResult(id, method, result) {
      const spec = lookup(tables.inRequests, method);
      if (spec === undefined) {
        throw new AppServerProtocolError("unknown_method", `unknown request method for ${role}`);
      }
      validateOrThrow(spec.result, result, "invalid_result", `result of ${method}`);
      return stringify({ id, result }, `result of ${method}`);
    },
    encodeError(id, error) {
      const checked = validateOrThrow(JSONRPCErrorError, error, "invalid_result", "error reply");
      // upstream writes the members in this order: {"error":…,"id":…}
      return stringify({ error: checked, id }, "error reply");
    },
    parseResult(method, result) {
      const spec = lookup(tables.outRequests, method);
      if (spec === undefined) {
        throw new AppServerProtocolError("unknown_method", `unknown request method for ${role}`);
      }
      return validateOrThrow(spec.result, result, "invalid_result", `result of ${method}`) as never;
    },
  };
  return codec as unknown as ProtocolCodec<R>;
}

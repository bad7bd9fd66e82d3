import type { z } from "zod";
import {
  JSONRPCErrorError,
  JSONRPCMessage,
  JSONRPCRequest,
  type RequestId,
  type W3cTraceContext,
} from "./envelope.js";
import { invalidRequestError, METHOD_NOT_FOUND_ERROR_CODE, rpcErrorObject } from "./error-codes.js";
import { serdeText, unknownVariantText, type VariantLists } from "./internal/serde-text.js";
import { UPSTREAM_CLIENT_REQUEST_METHODS } from "./internal/upstream-methods.js";
import {
  type ClientNotificationTable,
  type ClientRequestTable,
  clientNotificationSchemas,
  clientRequestSchemas,
  type NotificationTable,
  type ParamsInput,
  type RequestTable,
  type ResultInput,
  type ResultOutput,
  type ServerNotificationTable,
  type ServerRequestTable,
  serverNotificationSchemas,
  serverRequestSchemas,
  type TypedNotification,
  type TypedRequest,
} from "./method-maps.js";
import { AppServerProtocolError } from "./protocol-error.js";

/** Which end of the connection a codec or peer speaks for. */
export type Role = "client" | "server";

/** Requests `R` sends. */
export type OutgoingRequests<R extends Role> = R extends "client"
  ? ClientRequestTable
  : ServerRequestTable;
/** Requests `R` receives. */
export type IncomingRequests<R extends Role> = R extends "client"
  ? ServerRequestTable
  : ClientRequestTable;
/** Notifications `R` sends. */
export type OutgoingNotifications<R extends Role> = R extends "client"
  ? ClientNotificationTable
  : ServerNotificationTable;
/** Notifications `R` receives. */
export type IncomingNotifications<R extends Role> = R extends "client"
  ? ServerNotificationTable
  : ClientNotificationTable;

/** Default maximum size of one message: 32 MiB (images travel inline as data URLs). */
export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** Why an incoming message was dropped without a reply (upstream drops these too, with a log). */
export type DropReason =
  | "invalid_json"
  | "message_too_large"
  | "invalid_message"
  | "unknown_method"
  | "invalid_params";

/** An incoming message after classification. Decoding never throws. */
export type IncomingMessage<R extends Role> =
  | ({ kind: "request" } & TypedRequest<IncomingRequests<R>>)
  | ({ kind: "notification" } & TypedNotification<IncomingNotifications<R>>)
  | { kind: "response"; id: RequestId; result: unknown }
  | { kind: "error"; id: RequestId; error: JSONRPCErrorError }
  | {
      /**
       * A request that must be answered with `reply`: an unknown method, bad or missing params, a
       * method upstream has but this package does not model (`unsupported_method`: answer only
       * after the initialize gate), or a message with a usable `id` that cannot be decoded as a
       * request (`invalid_request`; upstream stays silent there and the client would wait forever).
       */
      kind: "rejected";
      id: RequestId;
      method: string;
      reason: "unknown_method" | "invalid_params" | "unsupported_method" | "invalid_request";
      reply: { id: RequestId; error: JSONRPCErrorError };
    }
  | {
      /** Dropped without reply; log `detail` (it never quotes payload values). */
      kind: "dropped";
      reason: DropReason;
      detail: string;
      method?: string;
    };

/** Options of {@link createCodec}. */
export interface CodecOptions {
  /** Largest accepted message in UTF-8 bytes (default {@link DEFAULT_MAX_MESSAGE_BYTES}). */
  maxMessageBytes?: number;
  /** Clock of the `emittedAtMs` member of server notifications, in Unix ms (default `Date.now`). */
  now?: () => number;
}

/** Upstream's variant lists where ours is shorter (the `type` tags of `account/login/start`). */
const UPSTREAM_VARIANTS: VariantLists = {
  LoginAccountParams: [
    "apiKey",
    "chatgpt",
    "chatgptDeviceCode",
    "chatgptAuthTokens",
    "amazonBedrock",
    "amazonBedrockAccessKeys",
  ],
};

function usableId(value: unknown): value is RequestId {
  return typeof value === "string" || (typeof value === "number" && Number.isSafeInteger(value));
}

/** The object's `id` when it is usable and the object is evidently a request (has `method` or `params`). */
function requestAttemptId(json: unknown): RequestId | undefined {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  if (!usableId(record.id)) return undefined;
  if (!Object.hasOwn(record, "method") && !Object.hasOwn(record, "params")) return undefined;
  return record.id;
}

/** Summarises zod issues as `path: message` without quoting input values. */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.length === 0 ? "(root)" : issue.path.map(String).join(".");
    return `${path}: ${issue.message}`;
  });
  if (error.issues.length > 5) parts.push(`and ${error.issues.length - 5} more`);
  return parts.join("; ");
}

/** Throws `invalid_options` unless `value` is a positive safe integer. */
export function checkPositiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new AppServerProtocolError("invalid_options", `${name} must be a positive integer`);
  }
  return value;
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
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

interface Tables {
  outRequests: RequestTable;
  inRequests: RequestTable;
  outNotifications: NotificationTable;
  inNotifications: NotificationTable;
}

function tablesFor(role: Role): Tables {
  return role === "client"
    ? {
        outRequests: clientRequestSchemas,
        inRequests: serverRequestSchemas,
        outNotifications: clientNotificationSchemas,
        inNotifications: serverNotificationSchemas,
      }
    : {
        outRequests: serverRequestSchemas,
        inRequests: clientRequestSchemas,
        outNotifications: serverNotificationSchemas,
        inNotifications: clientNotificationSchemas,
      };
}

function lookup<T extends object>(table: T, method: string): T[keyof T] | undefined {
  return Object.hasOwn(table, method) ? (table as Record<string, T[keyof T]>)[method] : undefined;
}

function validateOrThrow(
  schema: z.ZodType,
  value: unknown,
  code: "invalid_params" | "invalid_result",
  what: string,
): unknown {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppServerProtocolError(
      code,
      `${what} failed validation: ${describeIssues(parsed.error)}`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

function stringify(message: object, what: string): string {
  try {
    return JSON.stringify(message);
  } catch (cause) {
    throw new AppServerProtocolError("invalid_params", `${what} cannot be serialised as JSON`, {
      cause,
    });
  }
}

/** Creates the codec for one side of the protocol. */
export function createCodec<R extends Role>(role: R, options: CodecOptions = {}): ProtocolCodec<R> {
  const tables = tablesFor(role);
  const maxBytes = checkPositiveInteger(
    options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    "maxMessageBytes",
  );
  const now = options.now ?? Date.now;

  function decode(text: string): IncomingMessage<Role> {
    // A UTF-8 byte is at least one UTF-16 unit and at most 3 bytes per unit: only measure when unsure.
    if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
      return {
        kind: "dropped",
        reason: "message_too_large",
        detail: `message exceeds ${maxBytes} bytes`,
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { kind: "dropped", reason: "invalid_json", detail: "message is not valid JSON" };
    }
    const envelope = JSONRPCMessage.safeParse(json);
    const attemptId = requestAttemptId(json);
    if (attemptId !== undefined && (!envelope.success || !("id" in envelope.data))) {
      // A usable id on something that is not a decodable request: answer instead of staying silent.
      const request = JSONRPCRequest.safeParse(json);
      const method = (json as Record<string, unknown>).method;
      return {
        kind: "rejected",
        id: attemptId,
        method: typeof method === "string" ? method : "",
        reason: "invalid_request",
        reply: {
          id: attemptId,
          error: invalidRequestError(
            request.success ? "invalid request" : serdeText(request.error, json),
          ),
        },
      };
    }
    if (!envelope.success) {
      return {
        kind: "dropped",
        reason: "invalid_message",
        detail: "message is not a JSON-RPC request, notification, response or error",
      };
    }
    const msg = envelope.data;
    if ("method" in msg && "id" in msg) {
      const spec = lookup(tables.inRequests, msg.method);
      if (spec === undefined) {
        if (role === "server" && UPSTREAM_CLIENT_REQUEST_METHODS.includes(msg.method)) {
          return {
            kind: "rejected",
            id: msg.id,
            method: msg.method,
            reason: "unsupported_method",
            reply: {
              id: msg.id,
              error: rpcErrorObject(
                METHOD_NOT_FOUND_ERROR_CODE,
                `Method not handled: ${msg.method}`,
              ),
            },
          };
        }
        const known =
          role === "server" ? UPSTREAM_CLIENT_REQUEST_METHODS : Object.keys(tables.inRequests);
        return {
          kind: "rejected",
          id: msg.id,
          method: msg.method,
          reason: "unknown_method",
          reply: { id: msg.id, error: invalidRequestError(unknownVariantText(msg.method, known)) },
        };
      }
      const params = spec.params.safeParse(msg.params);
      if (!params.success) {
        const rootName = spec.names.params;
        return {
          kind: "rejected",
          id: msg.id,
          method: msg.method,
          reason: "invalid_params",
          reply: {
            id: msg.id,
            error: invalidRequestError(
              serdeText(params.error, msg.params, rootName, UPSTREAM_VARIANTS),
            ),
          },
        };
      }
      const request = { kind: "request", id: msg.id, method: msg.method, params: params.data };
      if (msg.trace !== undefined) Object.assign(request, { trace: msg.trace });
      return request as unknown as IncomingMessage<Role>;
    }
    if ("method" in msg) {
      const spec = lookup(tables.inNotifications, msg.method);
      const method = msg.method.slice(0, 100);
      if (spec === undefined) {
        return {
          kind: "dropped",
          reason: "unknown_method",
          detail: "unknown notification method",
          method,
        };
      }
      const params = spec.params.safeParse(msg.params);
      if (!params.success) {
        return {
          kind: "dropped",
          reason: "invalid_params",
          detail: `invalid notification params: ${describeIssues(params.error)}`,
          method,
        };
      }
      return {
        kind: "notification",
        method: msg.method,
        params: params.data,
      } as unknown as IncomingMessage<Role>;
    }
    if ("result" in msg) return { kind: "response", id: msg.id, result: msg.result };
    return { kind: "error", id: msg.id, error: msg.error };
  }

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

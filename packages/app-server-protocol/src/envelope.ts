import { z } from "zod";
import { named } from "./internal/schema-registry.js";

/**
 * A JSON-RPC request id: a string or an integer. Replies echo it with the same JSON type.
 * Integers are limited to the safe range of a JS number (upstream allows any i64).
 *
 * @example
 * RequestId.parse(7); RequestId.parse("a7");
 */
export const RequestId = named("RequestId", z.union([z.string(), z.int()]));
/** A request id: `string | number` (integer). */
export type RequestId = z.infer<typeof RequestId>;

/** W3C trace context that may ride along with a request (`trace` member). */
export const W3cTraceContext = named(
  "W3cTraceContext",
  z.object({
    traceparent: z.string().nullable().optional(),
    tracestate: z.string().nullable().optional(),
  }),
);
/** W3C trace context (`{traceparent?, tracestate?}`). */
export type W3cTraceContext = z.infer<typeof W3cTraceContext>;

/** The `error` member of an error reply: `{code, message, data?}`; `code` is an integer. */
export const JSONRPCErrorError = named(
  "JSONRPCErrorError",
  z.object({
    code: z.int(),
    message: z.string(),
    data: z.unknown().optional(),
  }),
);
/** The `error` member of an error reply. */
export type JSONRPCErrorError = z.infer<typeof JSONRPCErrorError>;

/**
 * A request that expects a reply. `jsonrpc` is accepted and ignored on input (unknown members
 * are dropped by parsing) and never written.
 */
export const JSONRPCRequest = named(
  "JSONRPCRequest",
  z.object({
    id: RequestId,
    method: z.string(),
    params: z.unknown().optional(),
    trace: W3cTraceContext.nullable().optional(),
  }),
  "A request that expects a response.",
);
/** A request envelope (params not yet checked against the method). */
export type JSONRPCRequest = z.infer<typeof JSONRPCRequest>;

/** A notification: `method` and optional `params`, no `id`. */
export const JSONRPCNotification = named(
  "JSONRPCNotification",
  z.object({
    method: z.string(),
    params: z.unknown().optional(),
  }),
  "A notification which does not expect a response.",
);
/** A notification envelope (params not yet checked against the method). */
export type JSONRPCNotification = z.infer<typeof JSONRPCNotification>;

/** A successful reply: `id` and `result` (always present; `{}` for empty results). */
export const JSONRPCResponse = named(
  "JSONRPCResponse",
  z.object({
    id: RequestId,
    result: z.unknown().refine((value) => value !== undefined, "result is required"),
  }),
  "A successful (non-error) response to a request.",
);
/** A successful reply envelope. */
export type JSONRPCResponse = { id: RequestId; result: unknown };

/** An error reply: `id` and `error: {code, message, data?}`. */
export const JSONRPCError = named(
  "JSONRPCError",
  z.object({
    id: RequestId,
    error: JSONRPCErrorError,
  }),
  "A response to a request that indicates an error occurred.",
);
/** An error reply envelope. */
export type JSONRPCError = z.infer<typeof JSONRPCError>;

/**
 * Any message that can be decoded off the wire. Alternatives are tried in upstream's order
 * (request, notification, response, error), exactly like serde's untagged enum: an object with a
 * `method` but an unusable `id` therefore reads as a notification, as upstream reads it.
 */
export const JSONRPCMessage = named(
  "JSONRPCMessage",
  z.union([JSONRPCRequest, JSONRPCNotification, JSONRPCResponse, JSONRPCError]),
  "Refers to any valid JSON-RPC object that can be decoded off the wire, or encoded to be sent.",
);
/** Any envelope. */
export type JSONRPCMessage = JSONRPCRequest | JSONRPCNotification | JSONRPCResponse | JSONRPCError;

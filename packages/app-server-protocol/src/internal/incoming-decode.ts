import { JSONRPCMessage, JSONRPCRequest, type RequestId } from "../envelope.js";
import {
  invalidRequestError,
  METHOD_NOT_FOUND_ERROR_CODE,
  rpcErrorObject,
} from "../error-codes.js";
import { lookup, type Tables } from "./codec-tables.js";
import type { IncomingMessage, Role } from "./codec-types.js";
import { describeIssues } from "./codec-validation.js";
import { serdeText, unknownVariantText, type VariantLists } from "./serde-text.js";
import { UPSTREAM_CLIENT_REQUEST_METHODS } from "./upstream-methods.js";

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

function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * The decoder of `role`: classifies every incoming message text against `tables` (messages over
 * `maxBytes` are dropped) and never throws.
 */
export function createDecoder(
  role: Role,
  tables: Tables,
  maxBytes: number,
): (text: string) => IncomingMessage<Role> {
  return (text: string): IncomingMessage<Role> => {
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
  };
}

import type { JSONRPCErrorError, RequestId } from "../envelope.js";
import type {
  ClientNotificationTable,
  ClientRequestTable,
  ServerNotificationTable,
  ServerRequestTable,
  TypedNotification,
  TypedRequest,
} from "../method-maps.js";

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

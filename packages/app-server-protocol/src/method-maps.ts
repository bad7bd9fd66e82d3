import type { z } from "zod";
import {
  AccountLoginCompletedNotification,
  AccountUpdatedNotification,
  CancelLoginAccountParams,
  CancelLoginAccountResponse,
  GetAccountParams,
  GetAccountResponse,
  GetAuthStatusParams,
  GetAuthStatusResponse,
  LoginAccountParams,
  LoginAccountResponse,
  LogoutAccountResponse,
} from "./account.js";
import { AttestationGenerateParams, AttestationGenerateResponse } from "./attestation.js";
import {
  ChatgptAuthTokensRefreshParams,
  ChatgptAuthTokensRefreshResponse,
} from "./chatgpt-auth-tokens-refresh.js";
import type { RequestId, W3cTraceContext } from "./envelope.js";
import { EmptyParams, InitializeParams, InitializeResponse, NoParams } from "./initialize.js";
import { schemaRegistry } from "./internal/schema-registry.js";
import {
  AccountRateLimitsUpdatedNotification,
  GetAccountRateLimitsResponse,
} from "./rate-limits.js";
import { ThreadStartedNotification, ThreadStartParams, ThreadStartResponse } from "./thread.js";
import { ThreadTokenUsageUpdatedNotification } from "./token-usage.js";
import {
  AgentMessageDeltaNotification,
  ErrorNotification,
  ItemCompletedNotification,
  ItemStartedNotification,
  TurnCompletedNotification,
  TurnInterruptParams,
  TurnInterruptResponse,
  TurnStartedNotification,
  TurnStartParams,
  TurnStartResponse,
} from "./turn.js";

/** Schemas of one request method. */
export interface RequestSchemas {
  /** Params schema (`NoParams` for param-less methods). */
  readonly params: z.ZodType;
  /** Result schema. */
  readonly result: z.ZodType;
  /** Upstream-style definition names used by the JSON Schema writer. */
  readonly names: { readonly params: string | null; readonly result: string };
}

/** A table of request methods. */
export type RequestTable = Readonly<Record<string, RequestSchemas>>;
/** A table of notification methods: method → params schema. */
export type NotificationTable = Readonly<
  Record<string, { readonly params: z.ZodType; readonly name: string | null }>
>;

/** The definition name `schema` was registered under (`null` for `NoParams`). */
function definitionName(schema: z.ZodType): string | null {
  if (schema === NoParams || schema === EmptyParams) return null;
  const id = schemaRegistry.get(schema)?.id;
  if (id === undefined) throw new Error("protocol schema registered without a definition name");
  return id;
}

/** The schemas of one request method, named as registered. */
function requestSchemas<P extends z.ZodType, S extends z.ZodType>(params: P, result: S) {
  const resultName = definitionName(result);
  if (resultName === null) throw new Error("a request result must be a named schema");
  return { params, result, names: { params: definitionName(params), result: resultName } } as const;
}

/** The params schema of one notification method, named as registered. */
function notificationSchemas<P extends z.ZodType>(params: P) {
  return { params, name: definitionName(params) } as const;
}

/**
 * Client → server requests covered by this package.
 *
 * @example
 * clientRequestSchemas["account/read"].params.parse({ refreshToken: false });
 */
export const clientRequestSchemas = {
  initialize: requestSchemas(InitializeParams, InitializeResponse),
  "account/read": requestSchemas(GetAccountParams, GetAccountResponse),
  "account/login/start": requestSchemas(LoginAccountParams, LoginAccountResponse),
  "account/login/cancel": requestSchemas(CancelLoginAccountParams, CancelLoginAccountResponse),
  "account/logout": requestSchemas(EmptyParams, LogoutAccountResponse),
  "account/rateLimits/read": requestSchemas(EmptyParams, GetAccountRateLimitsResponse),
  getAuthStatus: requestSchemas(GetAuthStatusParams, GetAuthStatusResponse),
  "thread/start": requestSchemas(ThreadStartParams, ThreadStartResponse),
  "turn/start": requestSchemas(TurnStartParams, TurnStartResponse),
  "turn/interrupt": requestSchemas(TurnInterruptParams, TurnInterruptResponse),
} as const satisfies RequestTable;

/** Server → client requests covered by this package. */
export const serverRequestSchemas = {
  "account/chatgptAuthTokens/refresh": requestSchemas(
    ChatgptAuthTokensRefreshParams,
    ChatgptAuthTokensRefreshResponse,
  ),
  "attestation/generate": requestSchemas(AttestationGenerateParams, AttestationGenerateResponse),
} as const satisfies RequestTable;

/** Client → server notifications. */
export const clientNotificationSchemas = {
  initialized: notificationSchemas(NoParams),
} as const satisfies NotificationTable;

/** Server → client notifications covered by this package. */
export const serverNotificationSchemas = {
  "account/login/completed": notificationSchemas(AccountLoginCompletedNotification),
  "account/updated": notificationSchemas(AccountUpdatedNotification),
  "account/rateLimits/updated": notificationSchemas(AccountRateLimitsUpdatedNotification),
  "thread/started": notificationSchemas(ThreadStartedNotification),
  "thread/tokenUsage/updated": notificationSchemas(ThreadTokenUsageUpdatedNotification),
  "turn/started": notificationSchemas(TurnStartedNotification),
  "item/started": notificationSchemas(ItemStartedNotification),
  "item/agentMessage/delta": notificationSchemas(AgentMessageDeltaNotification),
  "item/completed": notificationSchemas(ItemCompletedNotification),
  "turn/completed": notificationSchemas(TurnCompletedNotification),
  error: notificationSchemas(ErrorNotification),
} as const satisfies NotificationTable;

/** Client → server request table type. */
export type ClientRequestTable = typeof clientRequestSchemas;
/** Server → client request table type. */
export type ServerRequestTable = typeof serverRequestSchemas;
/** Client → server notification table type. */
export type ClientNotificationTable = typeof clientNotificationSchemas;
/** Server → client notification table type. */
export type ServerNotificationTable = typeof serverNotificationSchemas;

/** Methods of client → server requests. */
export type ClientRequestMethod = keyof ClientRequestTable;
/** Methods of server → client requests. */
export type ServerRequestMethod = keyof ServerRequestTable;
/** Methods of client → server notifications. */
export type ClientNotificationMethod = keyof ClientNotificationTable;
/** Methods of server → client notifications. */
export type ServerNotificationMethod = keyof ServerNotificationTable;

/** Params a sender writes for request `M` of table `T`. */
export type ParamsInput<
  T extends RequestTable | NotificationTable,
  M extends keyof T,
> = T[M] extends { params: infer S extends z.ZodType } ? z.input<S> : never;
/** Params a receiver gets (after parsing) for request `M` of table `T`. */
export type ParamsOutput<
  T extends RequestTable | NotificationTable,
  M extends keyof T,
> = T[M] extends { params: infer S extends z.ZodType } ? z.output<S> : never;
/** Result a responder writes for request `M` of table `T`. */
export type ResultInput<T extends RequestTable, M extends keyof T> = z.input<T[M]["result"]>;
/** Result a requester gets (after parsing) for request `M` of table `T`. */
export type ResultOutput<T extends RequestTable, M extends keyof T> = z.output<T[M]["result"]>;

/**
 * Per-method types of client → server requests: `params` as written, `result` as parsed.
 *
 * @example
 * const p: ClientRequestMap["account/read"]["params"] = { refreshToken: true };
 */
export type ClientRequestMap = {
  [M in ClientRequestMethod]: {
    params: ParamsInput<ClientRequestTable, M>;
    result: ResultOutput<ClientRequestTable, M>;
  };
};
/** Per-method types of server → client requests: `params` as written, `result` as parsed. */
export type ServerRequestMap = {
  [M in ServerRequestMethod]: {
    params: ParamsInput<ServerRequestTable, M>;
    result: ResultOutput<ServerRequestTable, M>;
  };
};
/** Per-method params of server → client notifications. */
export type ServerNotificationMap = {
  [M in ServerNotificationMethod]: ParamsOutput<ServerNotificationTable, M>;
};
/** Per-method params of client → server notifications. */
export type ClientNotificationMap = {
  [M in ClientNotificationMethod]: ParamsOutput<ClientNotificationTable, M>;
};

/** A typed request envelope for a method of `T`: the union over methods, discriminated by `method`. */
export type TypedRequest<T extends RequestTable> = {
  [M in keyof T & string]: {
    id: RequestId;
    method: M;
    params: ParamsOutput<T, M>;
    trace?: W3cTraceContext | null | undefined;
  };
}[keyof T & string];
/** A typed notification envelope for a method of `T`. */
export type TypedNotification<T extends NotificationTable> = {
  [M in keyof T & string]: { method: M; params: ParamsOutput<T, M> };
}[keyof T & string];

/** A parsed client → server request (discriminate on `method`). */
export type ClientRequest = TypedRequest<ClientRequestTable>;
/** A parsed server → client request (discriminate on `method`). */
export type ServerRequest = TypedRequest<ServerRequestTable>;
/** A parsed client → server notification. */
export type ClientNotification = TypedNotification<ClientNotificationTable>;
/** A parsed server → client notification (discriminate on `method`). */
export type ServerNotification = TypedNotification<ServerNotificationTable>;

/** Whether `method` is a client → server request this package knows. */
export function isClientRequestMethod(method: string): method is ClientRequestMethod {
  return Object.hasOwn(clientRequestSchemas, method);
}
/** Whether `method` is a server → client request this package knows. */
export function isServerRequestMethod(method: string): method is ServerRequestMethod {
  return Object.hasOwn(serverRequestSchemas, method);
}
/** Whether `method` is a server → client notification this package knows. */
export function isServerNotificationMethod(method: string): method is ServerNotificationMethod {
  return Object.hasOwn(serverNotificationSchemas, method);
}
/** Whether `method` is a client → server notification this package knows. */
export function isClientNotificationMethod(method: string): method is ClientNotificationMethod {
  return Object.hasOwn(clientNotificationSchemas, method);
}

/**
 * @codex/app-server-protocol
 *
 * The Codex app-server JSON-RPC v2 subset: one zod schema per message (TypeScript types, runtime
 * validators and draft-07 JSON Schema all come from it), typed method maps, a codec that classifies
 * every incoming line, and a peer that speaks the protocol over a pair of Node streams.
 */
// Messages (params, results, notifications) and the JSON-RPC envelope are exported as zod schema
// values with a type of the same name; the shapes inside them only as types.
export type {
  Account,
  ApiKeyLoginAccountParams,
  AuthMode,
  ChatgptAuthTokensLoginAccountParams,
  ChatgptDeviceCodeLoginAccountParams,
  ChatgptLoginAccountParams,
  LegacyChatgptAuthTokensLoginAccountParams,
  PlanType,
} from "./account.js";
export {
  AccountLoginCompletedNotification,
  AccountUpdatedNotification,
  AUTH_MODES,
  CancelLoginAccountParams,
  CancelLoginAccountResponse,
  GetAccountParams,
  GetAccountResponse,
  GetAuthStatusParams,
  GetAuthStatusResponse,
  LoginAccountParams,
  LoginAccountResponse,
  LogoutAccountResponse,
  PLAN_TYPES,
} from "./account.js";
export {
  AttestationGenerateParams,
  AttestationGenerateResponse,
  attestationValue,
} from "./attestation.js";
export type { ChatgptAuthTokensRefreshReason } from "./chatgpt-auth-tokens-refresh.js";
export {
  ChatgptAuthTokensRefreshParams,
  ChatgptAuthTokensRefreshResponse,
} from "./chatgpt-auth-tokens-refresh.js";
export type { JSONRPCErrorError, W3cTraceContext } from "./envelope.js";
export {
  JSONRPCError,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResponse,
  RequestId,
} from "./envelope.js";
export {
  ALREADY_INITIALIZED_MESSAGE,
  alreadyInitializedError,
  INTERNAL_ERROR_CODE,
  INVALID_PARAMS_ERROR_CODE,
  INVALID_REQUEST_ERROR_CODE,
  internalError,
  invalidRequestError,
  METHOD_NOT_FOUND_ERROR_CODE,
  NOT_INITIALIZED_MESSAGE,
  notInitializedError,
  OVERLOADED_ERROR_CODE,
  OVERLOADED_MESSAGE,
  overloadedError,
  rpcErrorObject,
} from "./error-codes.js";
export type { ClientInfo, InitializeCapabilities, NoParams } from "./initialize.js";
export { InitializeParams, InitializeResponse } from "./initialize.js";
export { generateJsonSchemaFiles, type JsonSchemaDocument } from "./json-schema-files.js";
export {
  type CodecOptions,
  createCodec,
  DEFAULT_MAX_MESSAGE_BYTES,
  type DropReason,
  type IncomingMessage,
  type IncomingNotifications,
  type IncomingRequests,
  type OutgoingNotifications,
  type OutgoingRequests,
  type ProtocolCodec,
  type Role,
} from "./message-codec.js";
export {
  type ClientNotification,
  type ClientNotificationMap,
  type ClientNotificationMethod,
  type ClientNotificationTable,
  type ClientRequest,
  type ClientRequestMap,
  type ClientRequestMethod,
  type ClientRequestTable,
  clientNotificationSchemas,
  clientRequestSchemas,
  isClientNotificationMethod,
  isClientRequestMethod,
  isServerNotificationMethod,
  isServerRequestMethod,
  type NotificationTable,
  type ParamsInput,
  type ParamsOutput,
  type RequestSchemas,
  type RequestTable,
  type ResultInput,
  type ResultOutput,
  type ServerNotification,
  type ServerNotificationMap,
  type ServerNotificationMethod,
  type ServerNotificationTable,
  type ServerRequest,
  type ServerRequestMap,
  type ServerRequestMethod,
  type ServerRequestTable,
  serverNotificationSchemas,
  serverRequestSchemas,
  type TypedNotification,
  type TypedRequest,
} from "./method-maps.js";
export {
  createClientPeer,
  createServerPeer,
  type NotifyArgs,
  type PeerOptions,
  type PeerTimers,
  ProtocolPeer,
  type RequestArgs,
  type RequestContext,
  type RequestHandlers,
  type RequestOptions,
  rpcErrorOf,
} from "./peer.js";
export {
  AppServerProtocolError,
  type AppServerProtocolErrorCode,
  type AppServerProtocolErrorOptions,
} from "./protocol-error.js";
export type { RateLimitSnapshot, RateLimitWindow } from "./rate-limits.js";
export { GetAccountRateLimitsResponse } from "./rate-limits.js";
export type { SandboxMode, Thread } from "./thread.js";
export { ThreadStartedNotification, ThreadStartParams, ThreadStartResponse } from "./thread.js";
export type { ThreadTokenUsage, TokenUsageBreakdown } from "./token-usage.js";
export { ThreadTokenUsageUpdatedNotification } from "./token-usage.js";
export type {
  AskForApproval,
  ByteRange,
  Personality,
  TextElement,
  ThreadItem,
  Turn,
  TurnError,
  TurnStatus,
  UserInput,
} from "./turn.js";
export {
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

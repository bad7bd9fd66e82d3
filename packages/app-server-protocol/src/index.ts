/**
 * @codex/app-server-protocol
 *
 * The Codex app-server JSON-RPC v2 subset: one zod schema per message (TypeScript types, runtime
 * validators and draft-07 JSON Schema all come from it), typed method maps, a codec that classifies
 * every incoming line, and a peer that speaks the protocol over a pair of Node streams.
 */
export {
  Account,
  AccountLoginCompletedNotification,
  AccountUpdatedNotification,
  ApiKeyLoginAccountParams,
  AUTH_MODES,
  AuthMode,
  CancelLoginAccountParams,
  CancelLoginAccountResponse,
  ChatgptAuthTokensLoginAccountParams,
  ChatgptDeviceCodeLoginAccountParams,
  ChatgptLoginAccountParams,
  GetAccountParams,
  GetAccountResponse,
  LegacyChatgptAuthTokensLoginAccountParams,
  LoginAccountParams,
  LoginAccountResponse,
  LogoutAccountResponse,
  PLAN_TYPES,
  PlanType,
} from "./account.js";
export {
  AttestationGenerateParams,
  AttestationGenerateResponse,
  attestationValue,
} from "./attestation.js";
export {
  ChatgptAuthTokensRefreshParams,
  ChatgptAuthTokensRefreshReason,
  ChatgptAuthTokensRefreshResponse,
} from "./chatgpt-auth-tokens-refresh.js";
export {
  JSONRPCError,
  JSONRPCErrorError,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResponse,
  RequestId,
  W3cTraceContext,
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
export {
  ClientInfo,
  InitializeCapabilities,
  InitializeParams,
  InitializeResponse,
  NoParams,
} from "./initialize.js";
export {
  BUNDLE_FILE,
  formatSchema,
  generateJsonSchemaFiles,
  type JsonSchemaDocument,
  toDraft07,
  V2_BUNDLE_FILE,
} from "./json-schema-files.js";
export { type ProtocolLogger, silentLogger } from "./logger.js";
export {
  type CodecOptions,
  createCodec,
  DEFAULT_MAX_MESSAGE_BYTES,
  type DropReason,
  describeIssues,
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
export {
  GetAccountRateLimitsResponse,
  RateLimitSnapshot,
  RateLimitWindow,
} from "./rate-limits.js";
export {
  SandboxMode,
  Thread,
  ThreadStartedNotification,
  ThreadStartParams,
  ThreadStartResponse,
} from "./thread.js";
export {
  AgentMessageDeltaNotification,
  AskForApproval,
  ByteRange,
  ErrorNotification,
  ItemCompletedNotification,
  ItemStartedNotification,
  Personality,
  TextElement,
  ThreadItem,
  Turn,
  TurnCompletedNotification,
  TurnError,
  TurnInterruptParams,
  TurnInterruptResponse,
  TurnStartedNotification,
  TurnStartParams,
  TurnStartResponse,
  TurnStatus,
  UserInput,
} from "./turn.js";

/**
 * @codex/model-client: the Responses API client of the Codex stack. {@link ModelClient} (one per
 * session) and {@link ModelClientSession} (one per turn) stream typed {@link ResponseEvent}s over
 * HTTP SSE with upstream's headers and body, Bearer or AgentAssertion auth with 401 recovery,
 * scoped `x-oai-attestation`, retries, deadlines and cancellation; WebSocket with prewarm and
 * `previous_response_id`; plus compaction and memory summaries.
 */

export type {
  AttestationContext,
  AttestationProvider,
  AttestationStatus,
} from "./attestation.js";
export {
  attestationEnvelope,
  DEFAULT_ATTESTATION_BUDGET_MS,
  isChatgptCodexBackend,
  X_OAI_ATTESTATION_HEADER,
} from "./attestation.js";
export type { InferenceTrace, InferenceTraceAttempt } from "./inference-trace.js";
export {
  RESPONSE_STREAM_DROPPED_REASON,
  rolloutInferenceAttempt,
  rolloutInferenceTrace,
} from "./inference-trace.js";
export type { LoginAuthSource, LoginCredentials } from "./login-auth.js";
export { modelAuthFromLogin } from "./login-auth.js";
export type {
  AuthRecovery,
  AuthRecoveryUnavailableReason,
  ModelAuth,
  RequestAuth,
} from "./model-auth.js";
export {
  apiKeyAuth,
  isAgentAssertionAuthorization,
} from "./model-auth.js";
export type {
  CompactOptions,
  MemorySummary,
  ModelClientOptions,
  RawMemory,
  StreamOptions,
} from "./model-client.js";
export { ModelClient } from "./model-client.js";
export type { ModelClientErrorCode, ModelClientErrorDetails } from "./model-client-error.js";
export { ModelClientError } from "./model-client-error.js";
export type { PrewarmOptions } from "./model-client-session.js";
export { ModelClientSession } from "./model-client-session.js";
export type { ModelProviderInfo, ProviderAuthMode } from "./model-provider-info.js";
export {
  CHATGPT_CODEX_BASE_URL,
  createOpenAiProvider,
  createOssProvider,
  DEFAULT_CHATGPT_BASE_URL,
  DEFAULT_REQUEST_MAX_RETRIES,
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  DEFAULT_STREAM_MAX_RETRIES,
  DEFAULT_WEBSOCKET_CONNECT_TIMEOUT_MS,
  isAzureResponsesProvider,
  OPENAI_API_BASE_URL,
  requestMaxRetries,
  resolveProviderBaseUrl,
  streamIdleTimeoutMs,
  streamMaxRetries,
  validateModelProviderInfo,
  websocketConnectTimeoutMs,
} from "./model-provider-info.js";
export type {
  CreditsSnapshot,
  RateLimitSnapshot,
  RateLimitWindow,
} from "./rate-limits.js";
export { parseRateLimitEvent, parseRateLimitHeaders } from "./rate-limits.js";
export type { UserAgentParts } from "./request-headers.js";
export {
  buildUserAgent,
  DEFAULT_ORIGINATOR,
  ORIGINATOR_OVERRIDE_ENV,
  RESPONSES_WEBSOCKETS_BETA,
  resolveOriginator,
  X_CLIENT_REQUEST_ID_HEADER,
  X_CODEX_BETA_FEATURES_HEADER,
  X_CODEX_INSTALLATION_ID_HEADER,
  X_CODEX_TURN_METADATA_HEADER,
  X_CODEX_TURN_STATE_HEADER,
  X_CODEX_WINDOW_ID_HEADER,
} from "./request-headers.js";
export type { ResponseEvent, TokenUsage } from "./response-event.js";
export { QUOTA_EXCEEDED_MESSAGE } from "./response-event.js";
export type {
  Prompt,
  ReasoningOptions,
  RequestIdentity,
  TurnOptions,
} from "./responses-request.js";
export { buildResponsesBody } from "./responses-request.js";
export type { SessionSource, SubAgentSource } from "./session-source.js";
export {
  subagentHeaders,
  X_CODEX_PARENT_THREAD_ID_HEADER,
  X_OPENAI_MEMGEN_REQUEST_HEADER,
  X_OPENAI_SUBAGENT_HEADER,
} from "./session-source.js";

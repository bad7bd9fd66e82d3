/**
 * @codex/model-client: the Responses API client of the Codex stack. {@link ModelClient} (one per
 * session) and {@link ModelClientSession} (one per turn) stream typed {@link ResponseEvent}s over
 * HTTP SSE with upstream's headers and body, Bearer or AgentAssertion auth with 401 recovery,
 * scoped `x-oai-attestation`, retries, deadlines and cancellation; WebSocket with prewarm and
 * `previous_response_id`; plus compaction and memory summaries.
 *
 * The surface is what an app (an app-server, a CLI) needs: the client and its errors, providers,
 * auth adapters, attestation and inference-trace hooks, and the defaults it shows or configures.
 * Header names, body building and header parsing stay inside the package.
 */

export type {
  AttestationContext,
  AttestationProvider,
  AttestationStatus,
} from "./attestation.js";
export { attestationEnvelope, DEFAULT_ATTESTATION_BUDGET_MS } from "./attestation.js";
export type { InferenceTrace, InferenceTraceAttempt } from "./inference-trace.js";
export { rolloutInferenceAttempt, rolloutInferenceTrace } from "./inference-trace.js";
export type { LoginAuthSource, LoginCredentials } from "./login-auth.js";
export { modelAuthFromLogin } from "./login-auth.js";
export type {
  AuthRecovery,
  AuthRecoveryUnavailableReason,
  ModelAuth,
  RequestAuth,
} from "./model-auth.js";
export { apiKeyAuth } from "./model-auth.js";
export { ModelClient } from "./model-client.js";
export type { ModelClientErrorCode, ModelClientErrorDetails } from "./model-client-error.js";
export { ModelClientError } from "./model-client-error.js";
export type {
  CompactOptions,
  MemorySummary,
  ModelClientOptions,
  RawMemory,
  StreamOptions,
} from "./model-client-options.js";
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
  OPENAI_API_BASE_URL,
  validateModelProviderInfo,
} from "./model-provider-info.js";
export type {
  CreditsSnapshot,
  RateLimitSnapshot,
  RateLimitWindow,
} from "./rate-limits.js";
export type { RealtimeCallOptions, RealtimeCallStart } from "./realtime-call.js";
export type { ResponseEvent, TokenUsage } from "./response-event.js";
export type { Prompt, ReasoningOptions, TurnOptions } from "./responses-request.js";
export type { SessionSource, SubAgentSource } from "./session-source.js";

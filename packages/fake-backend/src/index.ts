/**
 * @codex/fake-backend
 *
 * A real local stand-in for the ChatGPT and OpenAI endpoints (OAuth issuer, agent identity
 * registration, Responses over SSE and WebSocket, the models catalog and the start-up endpoints
 * of the Codex CLI), for end-to-end tests, benchmarks and the demo.
 */
export { FakeBackendError, type FakeBackendErrorCode } from "./fake-backend-error.js";
export {
  DEFAULT_ACCOUNT,
  DEFAULT_CLIENT_ID,
  DEFAULT_RATE_LIMITS,
  type FakeAccount,
  type FakeBackendOptions,
  type FakeBackendRequirements,
  type FakeDeviceAuthOptions,
} from "./fake-backend-options.js";
export type {
  AssertionCheck,
  AssertionFailure,
  AuthScheme,
  BearerCheck,
  BearerFailure,
  EndpointName,
  FakeBackendState,
  RegisteredAgent,
  RegisteredTask,
  RequestRecord,
  RevocationRecord,
  TokenGrantRecord,
} from "./fake-backend-state.js";
export {
  type RateLimitSnapshot,
  type RateLimitWindow,
  rateLimitEvent,
  rateLimitHeaders,
} from "./rate-limit-headers.js";
export {
  type ResponseScript,
  type ScriptStep,
  type ScriptUsage,
  scripts,
} from "./response-script.js";
export { type FakeBackend, startFakeBackend } from "./start-fake-backend.js";
export type { TokenSet } from "./token-set.js";
export { decodeJwtClaims, encodeUnsignedJwt, type JwtClaims } from "./unsigned-jwt.js";

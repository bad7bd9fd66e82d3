/**
 * @codex/login: auth.json storage (file, keyring, auto, ephemeral), id-token parsing,
 * {@link CodexAuth}, {@link AuthManager} (refresh, 401 recovery, login/logout), the token endpoint
 * (refresh, code exchange), and the errors of the package.
 */

// Login flows (browser PKCE, device code, logout with revoke) and agent identity: issue 4.
export type { AgentIdentityBinding } from "./agent-tasks/agent-identity-binding.js";
export { agentIdentityBindingFromAuth } from "./agent-tasks/agent-identity-binding.js";
export {
  AGENT_IDENTITY_ERROR_CODE,
  AGENT_IDENTITY_TIMEOUT_MS,
} from "./agent-tasks/agent-identity-client.js";
export type {
  AgentIdentityManagerOptions,
  RegisteredAgentTask,
} from "./agent-tasks/agent-identity-manager.js";
export {
  AgentIdentityManager,
  agentIdentityRegistrationFailureMessage,
  agentTaskRegistrationFailureMessage,
} from "./agent-tasks/agent-identity-manager.js";
export type {
  BackgroundAgentTaskAuthMode,
  ChatgptAuthorizationOptions,
  ChatgptAuthSource,
} from "./agent-tasks/background-task-auth.js";
export {
  backgroundAgentTaskAuthorizationHeaderValue,
  backgroundTaskAuthAllowedFor,
  bearerAuthorizationFor,
  cachedBackgroundAgentTaskAuthorizationHeaderValue,
  chatgptAuthorizationHeader,
  chatgptAuthorizationHeaderForAuth,
  chatgptRequestAuthHeaders,
  isAgentAssertionAuthorization,
} from "./agent-tasks/background-task-auth.js";
export type {
  StoredAgentIdentity,
  StoredIdentityProblem,
} from "./agent-tasks/stored-agent-identity.js";
export type {
  AgentIdentityRecord,
  AuthDotJson,
  AuthMode,
  TokenData,
} from "./auth-dot-json.js";
export {
  AUTH_MODES,
  authDotJsonEquals,
  authDotJsonFromJson,
  authDotJsonToJson,
  parseAuthDotJson,
  resolvedAuthMode,
  serializeAuthDotJson,
  serializeAuthDotJsonCompact,
} from "./auth-dot-json.js";
export type {
  AuthManagerOptions,
  AuthStateListener,
  ChatgptBackendSettings,
  ForcedLoginMethod,
} from "./auth-manager.js";
export {
  ACCESS_TOKEN_REFRESH_WINDOW_MS,
  AuthManager,
  DEFAULT_EXTERNAL_REFRESH_TIMEOUT_MS,
  TOKEN_REFRESH_INTERVAL_MS,
} from "./auth-manager.js";
export { CodexAuth } from "./codex-auth.js";
export type { ResolveCodexHomeOptions } from "./codex-home.js";
export { authFilePath, resolveCodexHome } from "./codex-home.js";
export type { LoginErrorCode, LoginErrorOptions } from "./errors.js";
export { isLoginError, LoginError } from "./errors.js";
export type {
  ExternalAuth,
  ExternalAuthRefreshContext,
  ExternalAuthRefreshReason,
  ExternalAuthTokens,
  ExternalChatgptMetadata,
} from "./external-auth.js";
export type { AuthorizeUrlInput } from "./flows/authorize-url.js";
export { buildAuthorizeUrl } from "./flows/authorize-url.js";
export type { DeviceCodeLogin, DeviceCodeLoginOptions } from "./flows/device-code-login.js";
export {
  DEVICE_CODE_MAX_WAIT_MS,
  MIN_DEVICE_POLL_INTERVAL_MS,
  parseDeviceInterval,
  startDeviceCodeLogin,
} from "./flows/device-code-login.js";
export type { LoginFlowOptions } from "./flows/login-flow-options.js";
export type { LoginResult, LoginServer, LoginServerOptions } from "./flows/login-server.js";
export { DEFAULT_LOGIN_TIMEOUT_MS, startLoginServer } from "./flows/login-server.js";
export type { LogoutOptions, LogoutResult } from "./flows/logout.js";
export { logoutWithRevoke } from "./flows/logout.js";
export type { BindRetryPolicy } from "./flows/loopback-port.js";
export {
  DEFAULT_BIND_RETRY,
  DEFAULT_LOGIN_PORT,
  FALLBACK_LOGIN_PORT,
  loginPortCandidates,
} from "./flows/loopback-port.js";
export { DEFAULT_ORIGINATOR, LOGIN_SCOPES } from "./flows/oauth-defaults.js";
export type { LoginAuthManager, PersistLoginInput } from "./flows/persist-login.js";
export { chatgptLoginAuthDotJson, persistChatgptLogin } from "./flows/persist-login.js";
export type { PkceCodes, RandomBytes } from "./flows/pkce.js";
export { generatePkce, generateState, pkceChallengeFor } from "./flows/pkce.js";
export type { RevokeOptions, RevokeOutcome } from "./flows/revoke.js";
export {
  DEFAULT_REVOKE_URL,
  REVOKE_TIMEOUT_MS,
  revokeAuthTokens,
  revokeAuthTokensBestEffort,
  revokeUrlFor,
} from "./flows/revoke.js";
export { ensureWorkspaceAllowed } from "./flows/workspace-restriction.js";
export type { IdTokenInfo } from "./id-token.js";
export { parseIdToken } from "./id-token.js";
export { decodeJwtPayload, parseJwtExpiration } from "./internal/jwt.js";
export type { LoginHttpClientOptions } from "./internal/login-http-client.js";
export { createLoginHttpClient } from "./internal/login-http-client.js";
export type { KnownPlanType, PlanType } from "./plan-type.js";
export {
  isWorkspacePlan,
  KNOWN_PLAN_TYPES,
  planTypeFromClaim,
  planTypeFromRawValue,
  planTypeToString,
} from "./plan-type.js";
export type { RefreshLock, RefreshLockOptions } from "./refresh-lock.js";
export { acquireRefreshLock } from "./refresh-lock.js";
export type {
  AuthCredentialsStoreMode,
  AuthStorage,
  AuthStorageWarning,
  AuthStorageWarningListener,
} from "./storage/auth-storage.js";
export { AUTH_CREDENTIALS_STORE_MODES } from "./storage/auth-storage.js";
export { AutoAuthStorage } from "./storage/auto-auth-storage.js";
export type { AuthStorageOptions } from "./storage/create-auth-storage.js";
export { createAuthStorage, DEFAULT_KEYRING_TIMEOUT_MS } from "./storage/create-auth-storage.js";
export { EphemeralAuthStorage } from "./storage/ephemeral-auth-storage.js";
export { FileAuthStorage } from "./storage/file-auth-storage.js";
export type { KeyringAuthStorageOptions } from "./storage/keyring-auth-storage.js";
export { KeyringAuthStorage } from "./storage/keyring-auth-storage.js";
export { KEYRING_SERVICE, storeKeyForCodexHome } from "./storage/store-key.js";
export type {
  ApiKeyExchange,
  AuthorizationCodeExchange,
  ExchangedTokens,
  RefreshedTokens,
  RefreshTokensOptions,
} from "./token-endpoint.js";
export {
  CLIENT_ID,
  classifyRefreshFailure,
  DEFAULT_ISSUER,
  DEFAULT_TOKEN_ENDPOINT_TIMEOUT_MS,
  exchangeAuthorizationCode,
  exchangeIdTokenForApiKey,
  extractOAuthErrorCode,
  REFRESH_FAILURE_MESSAGES,
  REFRESH_TOKEN_URL_OVERRIDE_ENV,
  refreshTokens,
  refreshTokenUrl,
  tokenEndpointUrl,
} from "./token-endpoint.js";
export type {
  RecoveryHost,
  UnauthorizedRecoveryMode,
  UnauthorizedRecoveryStep,
  UnauthorizedRecoveryStepResult,
  UnauthorizedRecoveryUnavailableReason,
} from "./unauthorized-recovery.js";
export { UnauthorizedRecovery } from "./unauthorized-recovery.js";

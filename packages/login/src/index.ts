/**
 * @codex/login: auth.json storage (file, keyring, auto, ephemeral), id-token parsing,
 * {@link CodexAuth}, {@link AuthManager} (refresh, 401 recovery, login/logout), the token endpoint
 * (refresh, code exchange), and the errors of the package.
 */

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
export type { AuthManagerOptions, AuthStateListener, ForcedLoginMethod } from "./auth-manager.js";
export {
  ACCESS_TOKEN_REFRESH_WINDOW_MS,
  AuthManager,
  DEFAULT_EXTERNAL_REFRESH_TIMEOUT_MS,
  TOKEN_REFRESH_INTERVAL_MS,
} from "./auth-manager.js";
export type {
  AuthCredentialsStoreMode,
  AuthStorage,
  AuthStorageOptions,
} from "./auth-storage.js";
export {
  AUTH_CREDENTIALS_STORE_MODES,
  createAuthStorage,
  DEFAULT_KEYRING_TIMEOUT_MS,
  KEYRING_SERVICE,
  storeKeyForCodexHome,
} from "./auth-storage.js";
export { AutoAuthStorage } from "./auto-auth-storage.js";
export { CodexAuth } from "./codex-auth.js";
export type { ResolveCodexHomeOptions } from "./codex-home.js";
export { authFilePath, resolveCodexHome } from "./codex-home.js";
export { EphemeralAuthStorage } from "./ephemeral-auth-storage.js";
export type { LoginErrorCode, LoginErrorOptions } from "./errors.js";
export { isLoginError, LoginError } from "./errors.js";
export type {
  ExternalAuth,
  ExternalAuthRefreshContext,
  ExternalAuthRefreshReason,
  ExternalAuthTokens,
  ExternalChatgptMetadata,
} from "./external-auth.js";
export { FileAuthStorage } from "./file-auth-storage.js";
export type { IdTokenInfo } from "./id-token.js";
export { parseIdToken } from "./id-token.js";
export { decodeJwtPayload, parseJwtExpiration } from "./jwt.js";
export type { KeyringAuthStorageOptions } from "./keyring-auth-storage.js";
export { KeyringAuthStorage } from "./keyring-auth-storage.js";
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

/**
 * @codex/login: Codex credentials through one object. `AuthManager.create(options)` resolves the
 * configuration once (home, store, issuer, client, HTTP, logger, clock, env) and is the way in:
 * logins (device code, browser, API key, host tokens), logout with revoke, refresh, 401 recovery
 * and agent identity. Everything else here is a type of its results, the error, or a helper an
 * app needs before it has a manager.
 */

export type {
  AgentIdentityManager,
  RegisteredAgentTask,
} from "./agent-tasks/agent-identity-manager.js";
export {
  agentIdentityRegistrationFailureMessage,
  agentTaskRegistrationFailureMessage,
} from "./agent-tasks/agent-identity-manager.js";
export type { BackgroundAgentTaskAuthMode } from "./agent-tasks/background-task-auth.js";
export type { StoredAgentIdentity } from "./agent-tasks/stored-agent-identity.js";
export type {
  AgentIdentityRecord,
  AuthDotJson,
  AuthMode,
  OAuthProvenance,
  TokenData,
} from "./auth-dot-json.js";
export type { AuthStateListener } from "./auth-manager.js";
export { AuthManager } from "./auth-manager.js";
export { CodexAuth } from "./codex-auth.js";
export type { ResolveCodexHomeOptions } from "./codex-home.js";
export { resolveCodexHome } from "./codex-home.js";
export type { LoginErrorCode, LoginErrorOptions } from "./errors.js";
export { isLoginError, LoginError, toLoginError } from "./errors.js";
export type {
  ExternalAuth,
  ExternalAuthRefreshContext,
  ExternalAuthRefreshReason,
  ExternalAuthTokens,
  ExternalChatgptMetadata,
} from "./external-auth.js";
export type { DeviceCodeLogin } from "./flows/device-code-login.js";
export type { LoginResult, LoginServer } from "./flows/login-server.js";
export type { LogoutResult } from "./flows/logout.js";
export type { RevokeOutcome } from "./flows/revoke.js";
export type { IdTokenInfo } from "./id-token.js";
export type {
  AuthManagerOptions,
  ChatgptBackendSettings,
  ForcedLoginMethod,
  LoginEnv,
} from "./login-config.js";
export type {
  LogoutOptions,
  StartBrowserLoginOptions,
  StartDeviceCodeLoginOptions,
} from "./manager-options.js";
export type { KnownPlanType, PlanType } from "./plan-type.js";
export { planTypeToString } from "./plan-type.js";
export type {
  AuthCredentialsStoreMode,
  AuthStorage,
  AuthStorageLockScope,
  AuthStorageWarning,
  AuthStorageWarningListener,
  CredentialLockOptions,
  CredentialLockWaitEvent,
} from "./storage/auth-storage.js";
export { AUTH_CREDENTIALS_STORE_MODES } from "./storage/auth-storage.js";
export type {
  UnauthorizedRecovery,
  UnauthorizedRecoveryMode,
  UnauthorizedRecoveryStep,
  UnauthorizedRecoveryStepResult,
  UnauthorizedRecoveryUnavailableReason,
} from "./unauthorized-recovery.js";

/**
 * The thread/turn engine of the app-server and `codex exec`: threads recorded as rollouts,
 * turns streamed through the model client with upstream 0.169's notifications.
 */
export {
  AGENT_IDENTITY_UNSUPPORTED_ENVIRONMENT_MESSAGE,
  agentIdentityHostAllowed,
} from "./agent-identity-gate.js";
export type {
  EngineThread,
  StartThreadParams,
  ThreadEngine,
  ThreadEngineOptions,
  ThreadEnvironment,
  ThreadSessionSource,
  ThreadStartResult,
  TurnHooks,
  TurnNotificationSink,
} from "./thread-engine.js";
export {
  createThreadEngine,
  DEFAULT_THREAD_MODEL,
  threadStartedNotification,
  UPSTREAM_CLI_VERSION,
} from "./thread-engine.js";
export type { ThreadEngineErrorCode } from "./thread-engine-error.js";
export { ThreadEngineError } from "./thread-engine-error.js";
export type {
  AgentMessageItem,
  CodexErrorInfo,
  EngineThreadItem,
  EngineTurn,
  EngineTurnError,
  EngineTurnStatus,
  TurnNotification,
  UserInputItem,
  UserMessageItem,
} from "./thread-items.js";
export { threadTokenUsageUpdatedParams } from "./thread-token-usage.js";
export type { TokenUsageStep, TokenUsageTotals } from "./token-usage.js";

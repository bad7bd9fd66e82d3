/**
 * @codex/app-server
 *
 * The `codex-app-server` app: 0.169's app-server protocol over stdio (initialize, accounts,
 * ChatGPT-token refresh and attestation requests to the client, threads and turns), and the
 * thread/turn engine (`src/threads/`) that the connection and `codex exec` drive. Exported: what
 * the `codex` CLI needs to run the server (`codex app-server`) and the engine (`codex exec`).
 */

export {
  AppServerError,
  type AppServerErrorCode,
  type AppServerErrorOptions,
} from "./app-server-error.js";
export { appServerLogger } from "./app-server-logger.js";
export {
  type AppServer,
  type ConnectionSession,
  type RunAppServerOptions,
  runAppServer,
  type ThreadSurface,
} from "./run-app-server.js";
export type {
  AgentMessageItem,
  CodexErrorInfo,
  EngineThread,
  EngineThreadItem,
  EngineTurn,
  EngineTurnError,
  EngineTurnStatus,
  StartThreadParams,
  ThreadEngine,
  ThreadEngineErrorCode,
  ThreadEngineOptions,
  ThreadSessionSource,
  ThreadStartResult,
  TokenUsageStep,
  TokenUsageTotals,
  TurnHooks,
  TurnNotification,
  TurnNotificationSink,
  UserInputItem,
  UserMessageItem,
} from "./threads/index.js";
export { createThreadEngine, ThreadEngineError } from "./threads/index.js";
export { type UserAgentInput, userAgent } from "./user-agent.js";

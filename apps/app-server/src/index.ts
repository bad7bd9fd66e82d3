/**
 * @codex/app-server
 *
 * The `codex-app-server` app: 0.169's app-server protocol over stdio (initialize, accounts,
 * ChatGPT-token refresh and attestation requests to the client, threads and turns), and the
 * thread/turn engine (`src/threads/`) that the connection and `codex exec` drive.
 */
export {
  AppServerError,
  type AppServerErrorCode,
  type AppServerErrorOptions,
} from "./app-server-error.js";
export {
  type AppServer,
  type ConnectionSession,
  DEFAULT_EXTERNAL_REFRESH_TIMEOUT_MS,
  type RunAppServerOptions,
  runAppServer,
  type ThreadSurface,
} from "./run-app-server.js";
export { engineThreadSurface } from "./thread-handlers.js";
export * from "./threads/index.js";
export { type UserAgentInput, userAgent } from "./user-agent.js";

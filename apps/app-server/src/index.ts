/**
 * @codex/app-server
 *
 * The codex-app-server JSON-RPC app. So far it exports the thread/turn engine (`src/threads/`),
 * which the app-server connection and `codex exec` drive.
 */
export * from "./threads/index.js";

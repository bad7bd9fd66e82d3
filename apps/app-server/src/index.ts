/**
 * @codex/app-server
 *
 * The codex-app-server JSON-RPC app. Nothing is exported yet: see README.md for what this package will provide.
 */
export {};

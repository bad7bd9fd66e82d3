/**
 * @codex/app-server-protocol
 *
 * JSON-RPC v2 protocol types, runtime validators and JSON Schema for the Codex app server. Nothing is exported yet: see README.md for what this package will provide.
 */
export {};

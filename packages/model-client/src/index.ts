/**
 * @codex/model-client
 *
 * Responses API client over HTTP SSE and WebSocket with Codex headers, auth, AgentAssertion, attestation and retries. Nothing is exported yet: see README.md for what this package will provide.
 */
export {};

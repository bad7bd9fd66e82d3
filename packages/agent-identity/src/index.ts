/**
 * @codex/agent-identity
 *
 * Ed25519 agent keys, AgentAssertion headers, task registration signatures and sealed-box task ids, wire-compatible with codex-agent-identity. Nothing is exported yet: see README.md for what this package will provide.
 */
export {};

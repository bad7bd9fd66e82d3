import type { Secret } from "@codex/wire";
import { requireObject, requireWireString } from "./internal/validate.js";

/**
 * Stored key material of a registered agent identity (Rust `AgentIdentityKey`).
 *
 * @example
 * ```ts
 * import type { AgentIdentityKey } from "@codex/agent-identity";
 * import { Secret } from "@codex/wire";
 * const key: AgentIdentityKey = {
 *   agentRuntimeId: "agent-123",
 *   privateKeyPkcs8Base64: new Secret(stored),
 * };
 * ```
 */
export interface AgentIdentityKey {
  /** Runtime id the backend assigned when the agent was registered. */
  readonly agentRuntimeId: string;
  /**
   * Standard padded base64 of the PKCS#8 Ed25519 DER (48-byte v1, or the Rust crate's v2), as a
   * `Secret` from `@codex/wire`; a plain string is refused with `invalid_argument`.
   */
  readonly privateKeyPkcs8Base64: Secret;
}

/**
 * Task binding for a task-scoped `AgentAssertion` (Rust `AgentTaskAuthorizationTarget`).
 *
 * @example
 * ```ts
 * import type { AgentTaskAuthorizationTarget } from "@codex/agent-identity";
 * const target: AgentTaskAuthorizationTarget = { agentRuntimeId: "agent-123", taskId: "task-123" };
 * ```
 */
export interface AgentTaskAuthorizationTarget {
  /** Must equal the key's `agentRuntimeId`. */
  readonly agentRuntimeId: string;
  /** Task id returned (sealed) by the task registration endpoint. */
  readonly taskId: string;
}

/** Validates the shape of an {@link AgentIdentityKey}; the private key itself is checked later. */
export function readAgentIdentityKey(key: unknown): {
  agentRuntimeId: string;
  privateKeyPkcs8Base64: unknown;
} {
  const record = requireObject(key, "key");
  return {
    agentRuntimeId: requireWireString(record.agentRuntimeId, "key.agentRuntimeId"),
    privateKeyPkcs8Base64: record.privateKeyPkcs8Base64,
  };
}

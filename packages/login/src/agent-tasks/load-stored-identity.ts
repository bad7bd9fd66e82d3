import type { Logger } from "@codex/wire";
import type { CodexAuth } from "../codex-auth.js";
import type { AgentIdentityBinding } from "./agent-identity-binding.js";
import {
  type StoredAgentIdentity,
  storedAgentIdentityFromRecord,
} from "./stored-agent-identity.js";

const WARNINGS = {
  workspace_mismatch: "stored agent identity is invalid; deleting cached value",
  invalid_private_key: "stored agent identity is invalid; deleting cached value",
  binding_mismatch:
    "stored agent identity binding no longer matches current auth; deleting cached value",
  public_key_mismatch: "stored agent identity key material is invalid; deleting cached value",
} as const;

/**
 * The stored identity of `auth` usable for `binding`, like upstream's `load_stored_identity`:
 * none when no record belongs to the binding's workspace; a record that is invalid (key does not
 * decode), bound to another user, or whose key material does not match is **deleted** from the
 * auth's store (with a warning) and none is returned.
 *
 * @throws {LoginError} when deleting the stale record fails (the store cannot be written).
 */
export async function loadStoredIdentity(
  auth: CodexAuth,
  binding: AgentIdentityBinding,
  logger: Logger,
): Promise<StoredAgentIdentity | undefined> {
  const record = auth.getCurrentAuthJson()?.agentIdentity;
  if (record === undefined) return undefined;
  if (record.accountId !== binding.chatgptAccountId) {
    // Upstream `get_agent_identity(ws)` only returns records of the binding's workspace, then
    // deletes one whose workspace differs; a record of another workspace is stale for this auth.
    logger.warn(WARNINGS.workspace_mismatch, { bindingId: binding.bindingId });
    await auth.removeAgentIdentity();
    return undefined;
  }
  const check = storedAgentIdentityFromRecord(binding, record);
  if (!check.ok) {
    logger.warn(WARNINGS[check.problem], { bindingId: binding.bindingId, problem: check.problem });
    await auth.removeAgentIdentity();
    return undefined;
  }
  return check.identity;
}

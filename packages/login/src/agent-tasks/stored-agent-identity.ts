import { publicKeySshFromPrivateKeyPkcs8Base64 } from "@codex/agent-identity";
import type { Secret } from "@codex/wire";
import type { AgentIdentityRecord } from "../auth-dot-json.js";
import type { AgentIdentityBinding } from "./agent-identity-binding.js";

/** A validated agent identity for one binding (upstream `StoredAgentIdentity`). */
export interface StoredAgentIdentity {
  readonly bindingId: string;
  readonly chatgptAccountId: string;
  readonly chatgptUserId: string | undefined;
  readonly agentRuntimeId: string;
  /** Base64 of the Ed25519 PKCS#8 DER. */
  readonly privateKey: Secret;
  /** `ssh-ed25519 …` derived from the private key. */
  readonly publicKeySsh: string;
  /** The account's email when the identity was registered (record `email`). */
  readonly email: string | undefined;
  /** The account's plan when the identity was registered (record `plan_type`, verbatim). */
  readonly planType: string;
  /** Record `chatgpt_account_is_fedramp`. */
  readonly chatgptAccountIsFedramp: boolean;
  /** The registered background task (record `task_id`), when one is stored. */
  readonly backgroundTaskId: string | undefined;
}

/** Why a stored record cannot be used for a binding (it is then deleted and re-registered). */
export type StoredIdentityProblem =
  | "workspace_mismatch"
  | "invalid_private_key"
  | "binding_mismatch"
  | "public_key_mismatch";

/** Result of {@link storedAgentIdentityFromRecord}. */
export type StoredIdentityCheck =
  | { readonly ok: true; readonly identity: StoredAgentIdentity }
  | { readonly ok: false; readonly problem: StoredIdentityProblem };

/**
 * Checks a stored `agent_identity` record against the current binding like upstream's
 * `load_stored_identity`: same workspace, a decodable Ed25519 PKCS#8 key, the same user when the
 * binding has one, and a public key that matches the private key.
 */
export function storedAgentIdentityFromRecord(
  binding: AgentIdentityBinding,
  record: AgentIdentityRecord,
  expectedPublicKeySsh?: string | undefined,
): StoredIdentityCheck {
  if (record.accountId !== binding.chatgptAccountId) {
    return { ok: false, problem: "workspace_mismatch" };
  }
  let publicKeySsh: string;
  try {
    publicKeySsh = publicKeySshFromPrivateKeyPkcs8Base64(record.agentPrivateKey);
  } catch {
    return { ok: false, problem: "invalid_private_key" };
  }
  const identity: StoredAgentIdentity = {
    bindingId: binding.bindingId,
    chatgptAccountId: binding.chatgptAccountId,
    chatgptUserId: record.chatgptUserId === "" ? undefined : record.chatgptUserId,
    agentRuntimeId: record.agentRuntimeId,
    privateKey: record.agentPrivateKey,
    publicKeySsh: expectedPublicKeySsh ?? publicKeySsh,
    email: record.email,
    planType: record.planType,
    chatgptAccountIsFedramp: record.chatgptAccountIsFedramp,
    backgroundTaskId: record.taskId,
  };
  if (!storedIdentityMatchesBinding(identity, binding)) {
    return { ok: false, problem: "binding_mismatch" };
  }
  if (identity.publicKeySsh !== publicKeySsh) {
    return { ok: false, problem: "public_key_mismatch" };
  }
  return { ok: true, identity };
}

/** Same binding id and account, and the same user when the binding knows one. */
export function storedIdentityMatchesBinding(
  identity: StoredAgentIdentity,
  binding: AgentIdentityBinding,
): boolean {
  return (
    identity.bindingId === binding.bindingId &&
    identity.chatgptAccountId === binding.chatgptAccountId &&
    (binding.chatgptUserId === undefined || identity.chatgptUserId === binding.chatgptUserId)
  );
}

/**
 * The auth.json record of a stored identity, in upstream 0.169's shape: the background task id
 * is the record's `task_id`, a missing user id is written `""`.
 */
export function storedAgentIdentityToRecord(identity: StoredAgentIdentity): AgentIdentityRecord {
  return {
    agentRuntimeId: identity.agentRuntimeId,
    agentPrivateKey: identity.privateKey,
    accountId: identity.chatgptAccountId,
    chatgptUserId: identity.chatgptUserId ?? "",
    email: identity.email,
    planType: identity.planType,
    chatgptAccountIsFedramp: identity.chatgptAccountIsFedramp,
    taskId: identity.backgroundTaskId,
  };
}

/** The key pair view `@codex/agent-identity` signs with (the key stays a Secret). */
export function agentIdentityKeyOf(identity: { agentRuntimeId: string; privateKey: Secret }): {
  agentRuntimeId: string;
  privateKeyPkcs8Base64: Secret;
} {
  return {
    agentRuntimeId: identity.agentRuntimeId,
    privateKeyPkcs8Base64: identity.privateKey,
  };
}

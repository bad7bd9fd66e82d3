/**
 * `@codex/agent-identity`: Ed25519 agent keys (PKCS#8, OpenSSH), `AgentAssertion` headers,
 * task-registration signatures and sealed-box task ids, byte-compatible with the Rust crate
 * `codex-agent-identity`.
 *
 * @example
 * ```ts
 * import { authorizationHeaderForAgentTask, generateAgentKeyMaterial } from "@codex/agent-identity";
 * const { privateKeyPkcs8Base64 } = generateAgentKeyMaterial();
 * const header = authorizationHeaderForAgentTask(
 *   { agentRuntimeId: "agent-123", privateKeyPkcs8Base64 },
 *   { agentRuntimeId: "agent-123", taskId: "task-123" },
 * );
 * ```
 * @module
 */
export {
  AGENT_ASSERTION_SCHEME,
  type AuthorizationHeaderOptions,
  authorizationHeaderForAgentTask,
  DEFAULT_MAX_SKEW_SECONDS,
  MAX_AGENT_ASSERTION_HEADER_LENGTH,
  signTaskRegistrationPayload,
  type VerifiedAgentAssertion,
  type VerifyAgentAssertionOptions,
  verifyAgentAssertion,
  verifyTaskRegistrationSignature,
} from "./agent-assertion.js";
export {
  AGENT_IDENTITY_PACKAGE_VERSION,
  type AgentBillOfMaterials,
  type AgentBillOfMaterialsJson,
  agentBillOfMaterialsToJson,
  type BuildAbomOptions,
  buildAbom,
  rustOsName,
  type SessionSource,
  type SubAgentSource,
  sessionSourceDisplay,
} from "./agent-bill-of-materials.js";
export {
  AgentIdentityError,
  type AgentIdentityErrorCode,
  type AgentIdentityErrorOptions,
} from "./agent-identity-error.js";
export type { AgentIdentityKey, AgentTaskAuthorizationTarget } from "./agent-identity-key.js";
export {
  type AgentIdentityRequestIdOptions,
  agentIdentityRequestId,
} from "./agent-identity-request-id.js";
export {
  agentIdentityBiscuitUrl,
  agentRegistrationUrl,
  agentTaskRegistrationUrl,
  normalizeChatgptBaseUrl,
  supportsBackgroundAgentTaskAuth,
} from "./chatgpt-urls.js";
export type { RandomBytesSource } from "./internal/random.js";
export type { NowOption } from "./internal/timestamp.js";
export {
  curve25519SecretKeyFromPrivateKeyPkcs8Base64,
  type GenerateAgentKeyMaterialOptions,
  type GeneratedAgentKeyMaterial,
  generateAgentKeyMaterial,
  publicKeySshFromPrivateKeyPkcs8Base64,
  verifyingKeyFromPrivateKeyPkcs8Base64,
} from "./key-material.js";
export { decodeSshEd25519PublicKey, encodeSshEd25519PublicKey } from "./ssh-public-key.js";
export {
  decryptTaskIdResponse,
  MAX_ENCRYPTED_TASK_ID_LENGTH,
  type SealTaskIdOptions,
  sealTaskIdForPublicKey,
} from "./task-id-encryption.js";

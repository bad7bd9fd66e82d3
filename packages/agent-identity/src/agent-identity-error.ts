/**
 * Stable, machine-readable reasons an `@codex/agent-identity` call can fail.
 * Callers switch on these, never on message text.
 */
export type AgentIdentityErrorCode =
  /** An argument has the wrong type or shape (for example a number where a string is expected). */
  | "invalid_argument"
  /** A string argument is longer than this library accepts. */
  | "input_too_large"
  /** The stored private key is not canonical standard base64. */
  | "invalid_private_key_base64"
  /** The stored private key decodes, but not to a PKCS#8 v1 (or matching v2) Ed25519 key. */
  | "invalid_private_key_pkcs8"
  /** A public key is not a valid `ssh-ed25519` string or 32-byte Ed25519 point. */
  | "invalid_public_key"
  /** The agent task target names a different runtime than the stored key. */
  | "runtime_mismatch"
  /** The system random source failed (or an injected one returned the wrong length). */
  | "random_generation_failed"
  /** `encrypted_task_id` is not canonical standard base64. */
  | "invalid_encrypted_task_id_base64"
  /** The sealed box is truncated, tampered with, or sealed to another key. */
  | "task_id_decryption_failed"
  /** The sealed box opened, but the plaintext is not valid UTF-8. */
  | "invalid_task_id_utf8"
  /** The `Authorization` value does not use the exact `AgentAssertion ` scheme. */
  | "invalid_assertion_scheme"
  /** The assertion token is not canonical base64url, JSON, or the exact canonical envelope. */
  | "invalid_assertion_envelope"
  /** The envelope timestamp is not `YYYY-MM-DDTHH:MM:SSZ` or not a real date. */
  | "invalid_assertion_timestamp"
  /** The signature is malformed or does not verify against the public key. */
  | "invalid_assertion_signature"
  /** The assertion is well formed and signed, but its timestamp is outside the allowed skew. */
  | "assertion_expired"
  /** A task-registration signature is malformed or does not verify against the public key. */
  | "invalid_registration_signature";

/** Options for {@link AgentIdentityError}. */
export interface AgentIdentityErrorOptions {
  /** The underlying error, if any. Never carries key material. */
  cause?: unknown;
}

// A registered symbol, so an error thrown by another installed copy of this package is still
// recognised (instanceof fails across copies).
const AGENT_IDENTITY_ERROR_BRAND = Symbol.for("codex.agent-identity.error");

/**
 * The one error class of `@codex/agent-identity`. Messages follow the Rust crate
 * `codex-agent-identity` and never contain key material, signatures or plaintexts.
 *
 * @example
 * ```ts
 * import { AgentIdentityError, decryptTaskIdResponse } from "@codex/agent-identity";
 * try {
 *   decryptTaskIdResponse(key, encryptedTaskId);
 * } catch (error) {
 *   if (AgentIdentityError.is(error) && error.code === "task_id_decryption_failed") {
 *     // re-register the task
 *   }
 * }
 * ```
 */
export class AgentIdentityError extends Error {
  override readonly name = "AgentIdentityError";
  /** Stable reason; switch on this. */
  readonly code: AgentIdentityErrorCode;
  readonly [AGENT_IDENTITY_ERROR_BRAND] = true;

  /**
   * True for an {@link AgentIdentityError} from any installed copy of `@codex/agent-identity`.
   * Use it instead of `instanceof`, which fails when two versions are installed side by side.
   */
  static is(value: unknown): value is AgentIdentityError {
    return (
      value instanceof Error &&
      (value as { [AGENT_IDENTITY_ERROR_BRAND]?: unknown })[AGENT_IDENTITY_ERROR_BRAND] === true &&
      typeof (value as { code?: unknown }).code === "string"
    );
  }

  constructor(
    code: AgentIdentityErrorCode,
    message: string,
    options: AgentIdentityErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

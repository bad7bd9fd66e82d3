import { AgentIdentityError } from "./agent-identity-error.js";
import { type AgentIdentityKey, readAgentIdentityKey } from "./agent-identity-key.js";
import { decodeBase64, encodeBase64 } from "./internal/base64.js";
import { currentBackend } from "./internal/crypto-backend.js";
import { x25519PublicFromEd25519Public } from "./internal/edwards-to-montgomery.js";
import { loadPrivateKey } from "./internal/private-key.js";
import { resolveEd25519PublicKey } from "./internal/public-key.js";
import {
  drawRandomBytes,
  optionalRandomSource,
  type RandomBytesSource,
} from "./internal/random.js";
import { openSealedBox, SEAL_OVERHEAD, sealBox } from "./internal/sealed-box.js";
import {
  MAX_FIELD_LENGTH,
  requireObject,
  requireString,
  requireWireString,
} from "./internal/validate.js";

/**
 * Longest `encrypted_task_id` accepted: a sealed box of a maximal task id, in base64.
 *
 * @example
 * ```ts
 * if (body.encrypted_task_id.length > MAX_ENCRYPTED_TASK_ID_LENGTH) throw new Error("too large");
 * ```
 */
export const MAX_ENCRYPTED_TASK_ID_LENGTH =
  4 * Math.ceil((SEAL_OVERHEAD + 3 * MAX_FIELD_LENGTH) / 3);

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/**
 * Opens the `encrypted_task_id` the task registration endpoint returns: standard base64 of a
 * libsodium sealed box addressed to the X25519 form of the agent key. The plaintext must be valid
 * UTF-8 and is returned unchanged (a leading U+FEFF is kept).
 *
 * @throws {AgentIdentityError} `invalid_encrypted_task_id_base64`, `task_id_decryption_failed`,
 *   `invalid_task_id_utf8`, `invalid_private_key_base64` / `invalid_private_key_pkcs8`,
 *   `invalid_argument` or `input_too_large`.
 * @example
 * ```ts
 * import { decryptTaskIdResponse } from "@codex/agent-identity";
 * const { encrypted_task_id } = await response.json();
 * const taskId = decryptTaskIdResponse(
 *   { agentRuntimeId, privateKeyPkcs8Base64: new Secret(stored) },
 *   encrypted_task_id,
 * );
 * ```
 */
export function decryptTaskIdResponse(key: AgentIdentityKey, encryptedTaskId: string): string {
  const stored = readAgentIdentityKey(key);
  const encoded = requireString(encryptedTaskId, "encryptedTaskId", MAX_ENCRYPTED_TASK_ID_LENGTH);
  const privateKey = loadPrivateKey(stored.privateKeyPkcs8Base64, "key.privateKeyPkcs8Base64");
  const sealed = decodeBase64(
    encoded,
    "invalid_encrypted_task_id_base64",
    "encrypted task id is not valid base64",
  );
  const plaintext = openSealedBox(privateKey.x25519(), sealed);
  if (plaintext === undefined) {
    throw new AgentIdentityError(
      "task_id_decryption_failed",
      "failed to decrypt encrypted task id",
    );
  }
  try {
    return strictUtf8.decode(plaintext);
  } catch (cause) {
    throw new AgentIdentityError("invalid_task_id_utf8", "decrypted task id is not valid UTF-8", {
      cause,
    });
  } finally {
    plaintext.fill(0);
  }
}

/** Options for {@link sealTaskIdForPublicKey}. */
export interface SealTaskIdOptions {
  /** Source of the 32-byte ephemeral secret; defaults to the OS CSPRNG. Inject only in tests. */
  randomBytes?: RandomBytesSource | undefined;
}

/**
 * What a backend sends as `encrypted_task_id`: `crypto_box_seal` of the UTF-8 task id to the
 * X25519 form of the agent's Ed25519 public key, in standard padded base64. For backends, fakes
 * and tests; {@link decryptTaskIdResponse} opens it.
 *
 * @param publicKey - `ssh-ed25519 ...` line or the raw 32-byte Ed25519 public key.
 * @throws {AgentIdentityError} `invalid_public_key` (also for non-points and small-order points),
 *   `random_generation_failed`, `invalid_argument` or `input_too_large`.
 * @example
 * ```ts
 * import { sealTaskIdForPublicKey } from "@codex/agent-identity";
 * const encrypted_task_id = sealTaskIdForPublicKey(registeredPublicKeySsh, "task-123");
 * ```
 */
export function sealTaskIdForPublicKey(
  publicKey: string | Uint8Array,
  taskId: string,
  options: SealTaskIdOptions = {},
): string {
  const { raw } = resolveEd25519PublicKey(publicKey, "publicKey");
  const plaintext = encoder.encode(requireWireString(taskId, "taskId"));
  const opts = requireObject(options, "options");
  const random = optionalRandomSource(opts.randomBytes);
  const recipient = x25519PublicFromEd25519Public(raw);
  if (recipient === undefined) {
    throw new AgentIdentityError(
      "invalid_public_key",
      "public key is not a valid Ed25519 point of full order",
    );
  }
  const secret = drawRandomBytes(random, 32, "failed to generate ephemeral sealing key");
  const ephemeral = currentBackend().x25519Key(secret);
  secret.fill(0);
  const sealed = sealBox(ephemeral, recipient, plaintext);
  if (sealed === undefined) {
    throw new AgentIdentityError(
      "invalid_public_key",
      "public key is not a valid Ed25519 point of full order",
    );
  }
  return encodeBase64(sealed);
}

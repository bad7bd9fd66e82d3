import { formatRfc3339Seconds, isJsonObject, parseRfc3339Seconds } from "@codex/wire";
import { AgentIdentityError } from "./agent-identity-error.js";
import {
  type AgentIdentityKey,
  type AgentTaskAuthorizationTarget,
  readAgentIdentityKey,
} from "./agent-identity-key.js";
import { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from "./internal/base64.js";
import { serializeEnvelope } from "./internal/canonical-json.js";
import { loadPrivateKey } from "./internal/private-key.js";
import { verifierFor } from "./internal/public-key.js";
import { type NowOption, readNow } from "./internal/timestamp.js";
import { requireObject, requireString, requireWireString } from "./internal/validate.js";

/**
 * The `Authorization` scheme, including its single separating space.
 *
 * @example
 * ```ts
 * header.startsWith(AGENT_ASSERTION_SCHEME); // true for an AgentAssertion header
 * ```
 */
export const AGENT_ASSERTION_SCHEME = "AgentAssertion ";

/**
 * Longest `Authorization` value {@link verifyAgentAssertion} reads (1 MiB).
 *
 * @example
 * ```ts
 * if (header.length > MAX_AGENT_ASSERTION_HEADER_LENGTH) reply(431);
 * ```
 */
export const MAX_AGENT_ASSERTION_HEADER_LENGTH = 1_048_576;

/**
 * Default allowed distance, in seconds, between an assertion's timestamp and `now` (300).
 *
 * @example
 * ```ts
 * verifyAgentAssertion(header, publicKeySsh, { maxSkewSeconds: 2 * DEFAULT_MAX_SKEW_SECONDS });
 * ```
 */
export const DEFAULT_MAX_SKEW_SECONDS = 300;

const encoder = new TextEncoder();
/** A 64-byte signature is 88 base64 characters; anything longer cannot be one. */
const MAX_SIGNATURE_BASE64_LENGTH = 1024;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const ENVELOPE_KEYS = ["agent_runtime_id", "signature", "task_id", "timestamp"] as const;

/** Options for {@link authorizationHeaderForAgentTask}. */
export interface AuthorizationHeaderOptions {
  /** The instant to stamp (or a clock); defaults to the system clock. */
  now?: NowOption | undefined;
}

/** Options for {@link verifyAgentAssertion}. */
export interface VerifyAgentAssertionOptions {
  /** The instant to check against (or a clock); defaults to the system clock. */
  now?: NowOption | undefined;
  /**
   * Largest allowed |now − timestamp| in seconds; default {@link DEFAULT_MAX_SKEW_SECONDS}.
   * `Infinity` disables the check.
   */
  maxSkewSeconds?: number | undefined;
}

/** The signed claims of a verified `AgentAssertion`. */
export interface VerifiedAgentAssertion {
  readonly agentRuntimeId: string;
  readonly taskId: string;
  /** `YYYY-MM-DDTHH:MM:SSZ`, exactly as signed. */
  readonly timestamp: string;
}

function signatureBase64(privateKey: unknown, payload: string): string {
  const key = loadPrivateKey(privateKey, "key.privateKeyPkcs8Base64");
  return encodeBase64(key.signing.sign(encoder.encode(payload)));
}

/**
 * Builds the `Authorization` value for a request made on behalf of an agent task:
 * `AgentAssertion <base64url(canonical JSON)>`, where the JSON holds `agent_runtime_id`,
 * `signature` (Ed25519 over `runtime:task:timestamp`, standard base64), `task_id` and
 * `timestamp` (RFC 3339, whole seconds, `Z`).
 *
 * @throws {AgentIdentityError} `runtime_mismatch` when `target.agentRuntimeId` differs from
 *   `key.agentRuntimeId`; `invalid_private_key_base64` / `invalid_private_key_pkcs8` for a bad
 *   stored key; `invalid_argument` / `input_too_large` for malformed arguments.
 * @example
 * ```ts
 * import { authorizationHeaderForAgentTask } from "@codex/agent-identity";
 * const header = authorizationHeaderForAgentTask(
 *   { agentRuntimeId: "agent-123", privateKeyPkcs8Base64: new Secret(stored) },
 *   { agentRuntimeId: "agent-123", taskId: "task-123" },
 * );
 * await fetch(url, { headers: { Authorization: header } });
 * ```
 */
export function authorizationHeaderForAgentTask(
  key: AgentIdentityKey,
  target: AgentTaskAuthorizationTarget,
  options: AuthorizationHeaderOptions = {},
): string {
  const stored = readAgentIdentityKey(key);
  const targetRecord = requireObject(target, "target");
  const targetRuntimeId = requireWireString(targetRecord.agentRuntimeId, "target.agentRuntimeId");
  const taskId = requireWireString(targetRecord.taskId, "target.taskId");
  const opts = requireObject(options, "options");
  if (stored.agentRuntimeId !== targetRuntimeId) {
    throw new AgentIdentityError(
      "runtime_mismatch",
      `agent task runtime ${targetRuntimeId} does not match stored agent identity ${stored.agentRuntimeId}`,
    );
  }
  const timestamp = formatRfc3339Seconds(readNow(opts.now));
  const signature = signatureBase64(
    stored.privateKeyPkcs8Base64,
    `${stored.agentRuntimeId}:${taskId}:${timestamp}`,
  );
  const json = serializeEnvelope({
    agent_runtime_id: targetRuntimeId,
    signature,
    task_id: taskId,
    timestamp,
  });
  return AGENT_ASSERTION_SCHEME + encodeBase64Url(encoder.encode(json));
}

/**
 * Signs a task registration: Ed25519 over `agent_runtime_id + ":" + timestamp`, standard padded
 * base64. `timestamp` is used as given (the Rust crate does not check its format).
 *
 * @throws {AgentIdentityError} `invalid_private_key_base64` / `invalid_private_key_pkcs8`;
 *   `invalid_argument` / `input_too_large` for malformed arguments.
 * @example
 * ```ts
 * import { signTaskRegistrationPayload } from "@codex/agent-identity";
 * const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
 * const signature = signTaskRegistrationPayload(key, timestamp);
 * // POST agentTaskRegistrationUrl(base, key.agentRuntimeId) with { timestamp, signature }
 * ```
 */
export function signTaskRegistrationPayload(key: AgentIdentityKey, timestamp: string): string {
  const stored = readAgentIdentityKey(key);
  const stamp = requireWireString(timestamp, "timestamp");
  return signatureBase64(stored.privateKeyPkcs8Base64, `${stored.agentRuntimeId}:${stamp}`);
}

/**
 * Verifies a task-registration signature as the backend does: a canonical standard-base64 Ed25519
 * signature over `agentRuntimeId:timestamp`, the counterpart of
 * {@link signTaskRegistrationPayload}. Uses the same prepared-key cache and key checks as
 * {@link verifyAgentAssertion} (malformed and small-order keys are refused).
 *
 * @param publicKey - `ssh-ed25519 ...` line or the raw 32-byte Ed25519 public key.
 * @throws {AgentIdentityError} `invalid_registration_signature`, `invalid_public_key`,
 *   `invalid_argument` or `input_too_large`.
 * @example
 * ```ts
 * import { verifyTaskRegistrationSignature } from "@codex/agent-identity";
 * verifyTaskRegistrationSignature(agent.publicKeySsh, runtimeId, body.timestamp, body.signature);
 * ```
 */
export function verifyTaskRegistrationSignature(
  publicKey: string | Uint8Array,
  agentRuntimeId: string,
  timestamp: string,
  signature: string,
): void {
  const verifier = verifierFor(publicKey, "publicKey");
  const runtime = requireWireString(agentRuntimeId, "agentRuntimeId");
  const stamp = requireWireString(timestamp, "timestamp");
  const NOT_A_SIGNATURE = "task registration signature is not a base64 Ed25519 signature";
  const bytes = decodeBase64(
    requireString(signature, "signature", MAX_SIGNATURE_BASE64_LENGTH),
    "invalid_registration_signature",
    NOT_A_SIGNATURE,
  );
  if (bytes.length !== 64) {
    throw new AgentIdentityError("invalid_registration_signature", NOT_A_SIGNATURE);
  }
  if (!verifier.verify(encoder.encode(`${runtime}:${stamp}`), bytes)) {
    throw new AgentIdentityError(
      "invalid_registration_signature",
      "task registration signature does not verify",
    );
  }
}

function envelopeError(message: string, cause?: unknown): AgentIdentityError {
  return new AgentIdentityError(
    "invalid_assertion_envelope",
    message,
    cause === undefined ? {} : { cause },
  );
}

function readSkew(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_SKEW_SECONDS;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
    throw new AgentIdentityError(
      "invalid_argument",
      "options.maxSkewSeconds must be a non-negative number",
    );
  }
  return value;
}

/**
 * Verifies an `Authorization: AgentAssertion ...` value against the agent's public key, as a
 * backend would. Accepts only the exact bytes {@link authorizationHeaderForAgentTask} produces:
 * exact scheme, canonical unpadded base64url, the canonical JSON envelope (re-serialized and
 * compared byte for byte), a `YYYY-MM-DDTHH:MM:SSZ` timestamp within `maxSkewSeconds` of `now`,
 * and a canonical base64 Ed25519 signature over `runtime:task:timestamp`.
 *
 * @param publicKey - `ssh-ed25519 ...` line or the raw 32-byte Ed25519 public key.
 * @throws {AgentIdentityError} `invalid_assertion_scheme`, `invalid_assertion_envelope`,
 *   `invalid_assertion_timestamp`, `invalid_assertion_signature`, `assertion_expired`,
 *   `invalid_public_key`, `invalid_argument` or `input_too_large`.
 * @example
 * ```ts
 * import { verifyAgentAssertion } from "@codex/agent-identity";
 * const { agentRuntimeId, taskId } = verifyAgentAssertion(req.headers.authorization, publicKeySsh);
 * ```
 */
export function verifyAgentAssertion(
  header: string,
  publicKey: string | Uint8Array,
  options: VerifyAgentAssertionOptions = {},
): VerifiedAgentAssertion {
  const value = requireString(header, "header", MAX_AGENT_ASSERTION_HEADER_LENGTH);
  const opts = requireObject(options, "options");
  const maxSkewSeconds = readSkew(opts.maxSkewSeconds);
  const now = readNow(opts.now);
  const verifier = verifierFor(publicKey, "publicKey");

  if (!value.startsWith(AGENT_ASSERTION_SCHEME)) {
    throw new AgentIdentityError(
      "invalid_assertion_scheme",
      "authorization header does not use the AgentAssertion scheme",
    );
  }
  const token = value.slice(AGENT_ASSERTION_SCHEME.length);
  if (token.length === 0) throw envelopeError("agent assertion is not valid base64url");
  const bytes = decodeBase64Url(
    token,
    "invalid_assertion_envelope",
    "agent assertion is not valid base64url",
  );

  let json: string;
  try {
    json = strictUtf8.decode(bytes);
  } catch (cause) {
    throw envelopeError("agent assertion envelope is not valid UTF-8", cause);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (cause) {
    throw envelopeError("agent assertion envelope is not valid JSON", cause);
  }
  if (!isJsonObject(parsed)) {
    throw envelopeError("agent assertion envelope is not a JSON object");
  }
  const record: Record<string, unknown> = parsed;
  const keys = Object.keys(record);
  if (
    keys.length !== ENVELOPE_KEYS.length ||
    !ENVELOPE_KEYS.every((name) => typeof record[name] === "string")
  ) {
    throw envelopeError(
      "agent assertion envelope must have exactly the string members agent_runtime_id, signature, task_id and timestamp",
    );
  }
  const envelope = {
    agent_runtime_id: record.agent_runtime_id as string,
    signature: record.signature as string,
    task_id: record.task_id as string,
    timestamp: record.timestamp as string,
  };
  if (serializeEnvelope(envelope) !== json) {
    throw envelopeError("agent assertion envelope is not canonical JSON");
  }

  const signedAt = parseRfc3339Seconds(envelope.timestamp);
  if (signedAt === undefined) {
    throw new AgentIdentityError(
      "invalid_assertion_timestamp",
      "agent assertion timestamp is not an RFC 3339 UTC time in whole seconds",
    );
  }
  const BAD_SIGNATURE = "agent assertion signature is not a base64 Ed25519 signature";
  const signature = decodeBase64(envelope.signature, "invalid_assertion_signature", BAD_SIGNATURE);
  if (signature.length !== 64) {
    throw new AgentIdentityError("invalid_assertion_signature", BAD_SIGNATURE);
  }
  const payload = encoder.encode(
    `${envelope.agent_runtime_id}:${envelope.task_id}:${envelope.timestamp}`,
  );
  if (!verifier.verify(payload, signature)) {
    throw new AgentIdentityError(
      "invalid_assertion_signature",
      "agent assertion signature does not verify",
    );
  }
  if (Math.abs(now.getTime() - signedAt) > maxSkewSeconds * 1000) {
    throw new AgentIdentityError(
      "assertion_expired",
      "agent assertion timestamp is outside the allowed clock skew",
    );
  }
  return {
    agentRuntimeId: envelope.agent_runtime_id,
    taskId: envelope.task_id,
    timestamp: envelope.timestamp,
  };
}

import { encodeBase64Url } from "./internal/base64.js";
import {
  drawRandomBytes,
  optionalRandomSource,
  type RandomBytesSource,
} from "./internal/random.js";
import { requireObject } from "./internal/validate.js";

/** Options for {@link agentIdentityRequestId}. */
export interface AgentIdentityRequestIdOptions {
  /** Source of the 16 random bytes; defaults to the OS CSPRNG. */
  randomBytes?: RandomBytesSource | undefined;
}

/**
 * A fresh request id for agent identity calls: `codex-agent-identity-` followed by 16 random
 * bytes in unpadded base64url (22 characters).
 *
 * @throws {AgentIdentityError} `random_generation_failed` if the random source fails.
 * @example
 * ```ts
 * import { agentIdentityRequestId } from "@codex/agent-identity";
 * agentIdentityRequestId(); // "codex-agent-identity-3q2-7wAAAAAAAAAAAAAAAA"
 * ```
 */
export function agentIdentityRequestId(options: AgentIdentityRequestIdOptions = {}): string {
  const opts = requireObject(options, "options");
  const bytes = drawRandomBytes(
    optionalRandomSource(opts.randomBytes),
    16,
    "failed to generate agent identity request id",
  );
  return `codex-agent-identity-${encodeBase64Url(bytes)}`;
}

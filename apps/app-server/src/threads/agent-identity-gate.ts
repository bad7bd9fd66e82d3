import { normalizeChatgptBaseUrl, supportsBackgroundAgentTaskAuth } from "@codex/agent-identity";
import {
  type AuthManager,
  agentTaskRegistrationFailureMessage,
  type RegisteredAgentTask,
} from "@codex/login";

/** 0.169's turn error when agent identity is on for a backend outside its allowlist. */
export const AGENT_IDENTITY_UNSUPPORTED_ENVIRONMENT_MESSAGE =
  "Agent Identity only supports production and staging ChatGPT environments";

/**
 * Whether `chatgptBaseUrl` may carry an AgentAssertion: upstream's hosts (`chatgpt.com`,
 * `chat.openai.com`, `chatgpt-staging.com` and subdomains) plus `extraHosts`
 * (`agent_identity_allowed_hosts`, exact host names such as `127.0.0.1`).
 */
export function agentIdentityHostAllowed(
  chatgptBaseUrl: string,
  extraHosts: readonly string[],
): boolean {
  const base = normalizeChatgptBaseUrl(chatgptBaseUrl);
  if (supportsBackgroundAgentTaskAuth(base)) return true;
  let host: string;
  try {
    host = new URL(base).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  } catch {
    return false;
  }
  return extraHosts.some((h) => h.replace(/^\[|\]$/g, "").toLowerCase() === host);
}

/** Thrown when the agent task of a turn cannot be had; its message is the turn's error. */
export class AgentTaskUnavailable extends Error {
  override readonly name = "AgentTaskUnavailable";
}

/**
 * The agent task a thread's turns are authorized with (seed behaviour, `use_agent_identity`):
 * registered on the thread's first turn (identity first if none is stored: biscuit, register,
 * task register), kept for later turns while it belongs to the stored identity. The login's
 * `chatgptRequestAuthHeaders` then sends `AgentAssertion` without `chatgpt-account-id`.
 * `undefined` when the auth is not ChatGPT (API key, logged out).
 *
 * @throws {AgentTaskUnavailable} with 0.169's message for a host outside the allowlist, or
 *   login's task-registration failure text.
 */
export async function ensureThreadAgentTask(
  auth: AuthManager,
  current: RegisteredAgentTask | undefined,
  allowed: boolean,
): Promise<RegisteredAgentTask | undefined> {
  const agents = auth.agentIdentity();
  if (!agents.isEnabled()) return undefined;
  if ((await agents.currentAuthBinding()) === undefined) return undefined;
  if (!allowed) throw new AgentTaskUnavailable(AGENT_IDENTITY_UNSUPPORTED_ENVIRONMENT_MESSAGE);
  if (current !== undefined && (await agents.taskMatchesCurrentIdentity(current))) return current;
  try {
    return await agents.registerTask();
  } catch (error) {
    throw new AgentTaskUnavailable(agentTaskRegistrationFailureMessage(error), { cause: error });
  }
}

import { AgentIdentityError } from "./agent-identity-error.js";
import { MAX_FIELD_LENGTH, MAX_URL_LENGTH, requireString } from "./internal/validate.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const UNSAFE_PATH_SEGMENT = /[/?#\\\s\u0000-\u001f\u007f]/;

function baseUrl(value: unknown): string {
  const url = requireString(value, "chatgptBaseUrl", MAX_URL_LENGTH);
  if (url.length === 0) {
    throw new AgentIdentityError("invalid_argument", "chatgptBaseUrl must not be empty");
  }
  return trimTrailingSlashes(url);
}

function trimTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 0x2f) end--;
  return url.slice(0, end);
}

/**
 * `POST` endpoint that registers a new agent identity: `<base>/v1/agent/register`
 * (trailing slashes of `chatgptBaseUrl` are dropped).
 *
 * @throws {AgentIdentityError} `invalid_argument` for a non-string or empty base URL,
 *   `input_too_large` past 8192 characters.
 * @example
 * ```ts
 * import { agentRegistrationUrl } from "@codex/agent-identity";
 * agentRegistrationUrl("https://chatgpt.com/backend-api/");
 * // "https://chatgpt.com/backend-api/v1/agent/register"
 * ```
 */
export function agentRegistrationUrl(chatgptBaseUrl: string): string {
  return `${baseUrl(chatgptBaseUrl)}/v1/agent/register`;
}

/**
 * `POST` endpoint that registers a task for an agent:
 * `<base>/v1/agent/<agentRuntimeId>/task/register`.
 *
 * @throws {AgentIdentityError} `invalid_argument` for a non-string or empty base URL, or a runtime
 *   id that is empty or holds `/ ? # \`, whitespace or control characters (it would change the
 *   endpoint); `input_too_large` for oversized values.
 * @example
 * ```ts
 * import { agentTaskRegistrationUrl } from "@codex/agent-identity";
 * agentTaskRegistrationUrl("https://chatgpt.com/backend-api", "agent-123");
 * // "https://chatgpt.com/backend-api/v1/agent/agent-123/task/register"
 * ```
 */
export function agentTaskRegistrationUrl(chatgptBaseUrl: string, agentRuntimeId: string): string {
  const base = baseUrl(chatgptBaseUrl);
  const runtimeId = requireString(agentRuntimeId, "agentRuntimeId", MAX_FIELD_LENGTH);
  if (runtimeId.length === 0 || UNSAFE_PATH_SEGMENT.test(runtimeId)) {
    throw new AgentIdentityError(
      "invalid_argument",
      "agentRuntimeId must be a non-empty URL path segment",
    );
  }
  return `${base}/v1/agent/${runtimeId}/task/register`;
}

/**
 * Endpoint that exchanges an agent identity for a biscuit: `<base>/authenticate_app_v2`.
 *
 * @throws {AgentIdentityError} `invalid_argument` for a non-string or empty base URL,
 *   `input_too_large` past 8192 characters.
 * @example
 * ```ts
 * import { agentIdentityBiscuitUrl } from "@codex/agent-identity";
 * agentIdentityBiscuitUrl("https://chatgpt.com/backend-api");
 * // "https://chatgpt.com/backend-api/authenticate_app_v2"
 * ```
 */
export function agentIdentityBiscuitUrl(chatgptBaseUrl: string): string {
  return `${baseUrl(chatgptBaseUrl)}/authenticate_app_v2`;
}

const WHAM_SUFFIXES = ["/wham/remote/control/server/enroll", "/wham/remote/control/server"];

/**
 * Normalizes a configured ChatGPT base URL the way the Rust crate does: drop trailing slashes,
 * drop one `/wham/remote/control/server[/enroll]` suffix, add `/backend-api` to
 * `https://chatgpt.com…` / `https://chat.openai.com…` URLs that lack it, and drop a final
 * `/codex`.
 *
 * @throws {AgentIdentityError} `invalid_argument` for a non-string, `input_too_large` past 8192
 *   characters.
 * @example
 * ```ts
 * import { normalizeChatgptBaseUrl } from "@codex/agent-identity";
 * normalizeChatgptBaseUrl("https://chatgpt.com/"); // "https://chatgpt.com/backend-api"
 * normalizeChatgptBaseUrl("https://chatgpt.com/backend-api/codex"); // "https://chatgpt.com/backend-api"
 * ```
 */
export function normalizeChatgptBaseUrl(chatgptBaseUrl: string): string {
  let base = trimTrailingSlashes(requireString(chatgptBaseUrl, "chatgptBaseUrl", MAX_URL_LENGTH));
  for (const suffix of WHAM_SUFFIXES) {
    if (base.endsWith(suffix)) {
      base = base.slice(0, base.length - suffix.length);
      break;
    }
  }
  if (
    (base.startsWith("https://chatgpt.com") || base.startsWith("https://chat.openai.com")) &&
    !base.includes("/backend-api")
  ) {
    base = `${base}/backend-api`;
  }
  return base.endsWith("/codex") ? base.slice(0, base.length - "/codex".length) : base;
}

/**
 * Whether `chatgptBaseUrl` points at a ChatGPT deployment that accepts background agent-task
 * auth: its host is `chatgpt.com`, `chat.openai.com`, `chatgpt-staging.com` or a subdomain of
 * `chatgpt.com` / `chatgpt-staging.com`. Unparseable URLs give `false`.
 *
 * @throws {AgentIdentityError} `invalid_argument` for a non-string, `input_too_large` past 8192
 *   characters.
 * @example
 * ```ts
 * import { supportsBackgroundAgentTaskAuth } from "@codex/agent-identity";
 * supportsBackgroundAgentTaskAuth("https://chatgpt.com/backend-api"); // true
 * supportsBackgroundAgentTaskAuth("http://127.0.0.1:8080"); // false
 * ```
 */
export function supportsBackgroundAgentTaskAuth(chatgptBaseUrl: string): boolean {
  const text = requireString(chatgptBaseUrl, "chatgptBaseUrl", MAX_URL_LENGTH);
  let host: string;
  try {
    host = new URL(text).hostname;
  } catch {
    return false;
  }
  return (
    host === "chatgpt.com" ||
    host === "chat.openai.com" ||
    host === "chatgpt-staging.com" ||
    host.endsWith(".chatgpt.com") ||
    host.endsWith(".chatgpt-staging.com")
  );
}

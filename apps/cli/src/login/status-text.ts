import type { StatusAuth } from "./auth-file-check.js";

/** Upstream's key mask: the first 8 and last 5 characters, `***` for a key of 13 or fewer. */
export function safeFormatKey(key: string): string {
  if (key.length <= 13) return "***";
  return `${key.slice(0, 8)}***${key.slice(-5)}`;
}

/** What `codex login status` prints (stderr lines) and its exit code, as upstream 0.169. */
export function statusReport(auth: StatusAuth): {
  readonly lines: string[];
  readonly code: number;
} {
  const mode = auth.authMode ?? (auth.apiKey !== null ? "apikey" : "chatgpt");
  switch (mode) {
    case "apikey":
      if (auth.apiKey === null) {
        return { lines: ["Error checking login status: API key auth is missing a key."], code: 1 };
      }
      return {
        lines: [
          `API key configured - ${safeFormatKey(auth.apiKey)}`,
          "Authentication is checked when you send a request.",
        ],
        code: 0,
      };
    case "chatgpt":
    case "chatgptAuthTokens":
      return { lines: ["Logged in using ChatGPT"], code: 0 };
    case "agentIdentity":
      if (auth.agentIdentity === "jwt" || auth.agentIdentity?.taskId !== undefined) {
        return { lines: ["Logged in using access token"], code: 0 };
      }
      return {
        lines: [
          "Error checking login status: the stored agent identity has no registered task; run `codex login` again.",
        ],
        code: 1,
      };
    case "bedrockApiKey":
      return { lines: ["Logged in using Amazon Bedrock API key"], code: 0 };
    case "bedrockAccessKeys":
      return { lines: ["Logged in using Amazon Bedrock AWS access keys"], code: 0 };
    case "headers":
      return {
        lines: [
          "Error checking login status: externally provided auth cannot be loaded from auth storage.",
        ],
        code: 1,
      };
    default:
      return {
        lines: [
          `Error checking login status: ${mode} credentials are not supported by this codex.`,
        ],
        code: 1,
      };
  }
}

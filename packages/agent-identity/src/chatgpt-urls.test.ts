import { describe, expect, it } from "vitest";
import {
  agentIdentityBiscuitUrl,
  agentRegistrationUrl,
  agentTaskRegistrationUrl,
  normalizeChatgptBaseUrl,
  supportsBackgroundAgentTaskAuth,
} from "./chatgpt-urls.js";

describe("endpoint URLs", () => {
  it("append the Rust paths after trimming every trailing slash", () => {
    expect(agentRegistrationUrl("https://chatgpt.com/backend-api")).toBe(
      "https://chatgpt.com/backend-api/v1/agent/register",
    );
    expect(agentRegistrationUrl("https://chatgpt.com/backend-api///")).toBe(
      "https://chatgpt.com/backend-api/v1/agent/register",
    );
    expect(agentTaskRegistrationUrl("http://127.0.0.1:8080/", "agrt_01")).toBe(
      "http://127.0.0.1:8080/v1/agent/agrt_01/task/register",
    );
    expect(agentIdentityBiscuitUrl("https://chatgpt.com/backend-api/")).toBe(
      "https://chatgpt.com/backend-api/authenticate_app_v2",
    );
  });

  it("keep runtime ids verbatim (no escaping, as in Rust)", () => {
    expect(agentTaskRegistrationUrl("https://x", "agent:with:colons")).toBe(
      "https://x/v1/agent/agent:with:colons/task/register",
    );
  });
});

describe("normalizeChatgptBaseUrl", () => {
  it.each([
    ["https://chatgpt.com", "https://chatgpt.com/backend-api"],
    ["https://chatgpt.com/", "https://chatgpt.com/backend-api"],
    ["https://chatgpt.com/backend-api/", "https://chatgpt.com/backend-api"],
    ["https://chatgpt.com/backend-api/codex", "https://chatgpt.com/backend-api"],
    ["https://chatgpt.com/backend-api/codex/", "https://chatgpt.com/backend-api"],
    ["https://chat.openai.com", "https://chat.openai.com/backend-api"],
    ["https://chatgpt.com/codex", "https://chatgpt.com/codex/backend-api"],
    ["https://chatgpt.com/wham/remote/control/server/enroll", "https://chatgpt.com/backend-api"],
    [
      "https://chatgpt.com/backend-api/wham/remote/control/server",
      "https://chatgpt.com/backend-api",
    ],
    ["https://chatgpt.com/wham/remote/control/server/", "https://chatgpt.com/backend-api"],
    ["https://chatgpt.com.evil.example", "https://chatgpt.com.evil.example/backend-api"],
    ["http://chatgpt.com", "http://chatgpt.com"],
    ["http://127.0.0.1:8080/codex", "http://127.0.0.1:8080"],
    ["http://127.0.0.1:8080/api/codex/", "http://127.0.0.1:8080/api"],
    ["", ""],
    ["///", ""],
  ])("%j → %j", (input, expected) => {
    expect(normalizeChatgptBaseUrl(input)).toBe(expected);
  });
});

describe("supportsBackgroundAgentTaskAuth", () => {
  it.each([
    ["https://chatgpt.com/backend-api", true],
    ["https://chat.openai.com/backend-api", true],
    ["https://chatgpt-staging.com", true],
    ["https://ab.chatgpt.com", true],
    ["https://x.y.chatgpt-staging.com/backend-api", true],
    ["http://CHATGPT.COM", true],
    ["https://chatgpt.com:8443", true],
    ["https://evilchatgpt.com", false],
    ["https://chatgpt.com.evil.example", false],
    ["https://openai.com", false],
    ["http://127.0.0.1:8080", false],
    ["chatgpt.com", false],
    ["", false],
    ["not a url", false],
  ])("%j → %s", (input, expected) => {
    expect(supportsBackgroundAgentTaskAuth(input)).toBe(expected);
  });
});

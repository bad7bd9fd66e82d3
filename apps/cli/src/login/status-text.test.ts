import { describe, expect, it } from "vitest";
import { safeFormatKey, statusReport } from "./status-text.js";

describe("safeFormatKey", () => {
  it.each([
    ["sk-proj-1234567890ABCDE", "sk-proj-***ABCDE"],
    ["sk-test-abcdefghijk12345", "sk-test-***12345"],
    ["sk-1234567890123", "sk-12345***90123"],
    ["sk-proj-12345", "***"],
    ["", "***"],
  ])("%s → %s", (key, masked) => {
    expect(safeFormatKey(key)).toBe(masked);
  });
});

describe("statusReport", () => {
  const none = { authMode: undefined, apiKey: null, agentIdentity: undefined } as const;
  it.each([
    [
      { ...none, apiKey: "sk-test-abcdefghijk12345" },
      [
        "API key configured - sk-test-***12345",
        "Authentication is checked when you send a request.",
      ],
      0,
    ],
    [
      { ...none, authMode: "apikey" },
      ["Error checking login status: API key auth is missing a key."],
      1,
    ],
    [none, ["Logged in using ChatGPT"], 0],
    [{ ...none, authMode: "chatgptAuthTokens" }, ["Logged in using ChatGPT"], 0],
    [
      { ...none, authMode: "agentIdentity", agentIdentity: { taskId: "t" } },
      ["Logged in using access token"],
      0,
    ],
    [{ ...none, authMode: "bedrockApiKey" }, ["Logged in using Amazon Bedrock API key"], 0],
    [
      { ...none, authMode: "headers" },
      ["Error checking login status: externally provided auth cannot be loaded from auth storage."],
      1,
    ],
  ])("%j", (auth, lines, code) => {
    expect(statusReport(auth)).toEqual({ lines, code });
  });
});

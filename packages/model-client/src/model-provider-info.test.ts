import { describe, expect, it } from "vitest";
import { ModelClientError } from "./model-client-error.js";
import {
  CHATGPT_CODEX_BASE_URL,
  createOpenAiProvider,
  createOssProvider,
  isAzureResponsesProvider,
  type ModelProviderInfo,
  OPENAI_API_BASE_URL,
  providerHeaders,
  providerUrl,
  requestMaxRetries,
  resolveProviderBaseUrl,
  streamIdleTimeoutMs,
  streamMaxRetries,
  validateModelProviderInfo,
  websocketConnectTimeoutMs,
} from "./model-provider-info.js";

describe("ModelProviderInfo defaults", () => {
  it("uses upstream's retry counts and timeouts, capped at 100", () => {
    const info: ModelProviderInfo = { name: "custom", baseUrl: "https://h.test/v1" };
    expect(requestMaxRetries(info)).toBe(4);
    expect(streamMaxRetries(info)).toBe(5);
    expect(streamIdleTimeoutMs(info)).toBe(300_000);
    expect(websocketConnectTimeoutMs(info)).toBe(15_000);
    const big = { ...info, requestMaxRetries: 1000, streamMaxRetries: 250 };
    expect(requestMaxRetries(big)).toBe(100);
    expect(streamMaxRetries(big)).toBe(100);
  });
});

describe("built-in and custom providers", () => {
  it("the OpenAI provider picks the ChatGPT Codex base for ChatGPT auth, the API otherwise", () => {
    const openai = createOpenAiProvider();
    expect(openai).toMatchObject({
      name: "OpenAI",
      requiresOpenaiAuth: true,
      supportsWebsockets: true,
    });
    expect(resolveProviderBaseUrl(openai, "chatgpt")).toBe(CHATGPT_CODEX_BASE_URL);
    expect(resolveProviderBaseUrl(openai, "api_key")).toBe(OPENAI_API_BASE_URL);
    expect(resolveProviderBaseUrl(openai, "none")).toBe("https://api.openai.com/v1");
    expect(CHATGPT_CODEX_BASE_URL).toBe("https://chatgpt.com/backend-api/codex");
  });

  it("an explicit base URL wins over the auth mode", () => {
    const local = createOpenAiProvider("http://127.0.0.1:9/backend-api/codex");
    expect(resolveProviderBaseUrl(local, "api_key")).toBe("http://127.0.0.1:9/backend-api/codex");
  });

  it("an OSS provider has no auth and no WebSockets", () => {
    const oss = createOssProvider("http://127.0.0.1:11434/v1");
    expect(oss.requiresOpenaiAuth).toBeUndefined();
    expect(oss.supportsWebsockets).toBeUndefined();
    expect(resolveProviderBaseUrl(oss, "chatgpt")).toBe("http://127.0.0.1:11434/v1");
  });

  it("joins base and path with one slash and appends query parameters", () => {
    const info: ModelProviderInfo = { name: "azure", queryParams: { "api-version": "2025-04-01" } };
    expect(providerUrl(info, "https://x.openai.azure.com/openai/", "/responses")).toBe(
      "https://x.openai.azure.com/openai/responses?api-version=2025-04-01",
    );
    expect(providerUrl({ name: "n" }, "https://h/v1", "responses/compact")).toBe(
      "https://h/v1/responses/compact",
    );
  });

  it("detects Azure by name or host", () => {
    expect(isAzureResponsesProvider({ name: "Azure" })).toBe(true);
    expect(
      isAzureResponsesProvider({ name: "x", baseUrl: "https://a.openai.azure.com/openai" }),
    ).toBe(true);
    expect(isAzureResponsesProvider({ name: "x", baseUrl: "https://api.openai.com/v1" })).toBe(
      false,
    );
  });

  it("adds env headers only when the variable is set and non-empty", () => {
    const openai = createOpenAiProvider();
    expect(providerHeaders(openai, { OPENAI_ORGANIZATION: "org-1", OPENAI_PROJECT: " " })).toEqual({
      "OpenAI-Organization": "org-1",
    });
    expect(providerHeaders({ name: "n", httpHeaders: { "x-a": "1" } }, {})).toEqual({ "x-a": "1" });
  });
});

describe("validateModelProviderInfo", () => {
  const bad: [string, unknown][] = [
    ["null", null],
    ["empty name", { name: "" }],
    ["relative base URL", { name: "n", baseUrl: "/v1" }],
    ["ftp base URL", { name: "n", baseUrl: "ftp://h/v1" }],
    ["empty env key", { name: "n", envKey: "" }],
    ["negative retries", { name: "n", requestMaxRetries: -1 }],
    ["fractional retries", { name: "n", streamMaxRetries: 1.5 }],
    ["zero idle timeout", { name: "n", streamIdleTimeoutMs: 0 }],
    ["NaN connect timeout", { name: "n", websocketConnectTimeoutMs: Number.NaN }],
    ["non-string header", { name: "n", httpHeaders: { a: 1 } }],
    ["array query", { name: "n", queryParams: ["a"] }],
  ];
  it.each(bad)("refuses %s with invalid_argument", (_label, value) => {
    let caught: unknown;
    try {
      validateModelProviderInfo(value as ModelProviderInfo);
    } catch (error) {
      caught = error;
    }
    expect(ModelClientError.is(caught)).toBe(true);
    expect((caught as ModelClientError).code).toBe("invalid_argument");
  });
});

import { describe, expect, it } from "vitest";
import {
  builtInProviders,
  ossProvider,
  providerFromToml,
  RESERVED_PROVIDER_IDS,
} from "./model-providers.js";

describe("model providers", () => {
  it("built-ins are openai, ollama and lmstudio, all reserved", () => {
    const builtIns = builtInProviders(undefined, {});
    expect(Object.keys(builtIns).sort()).toEqual([...RESERVED_PROVIDER_IDS].sort());
    expect(builtIns.openai?.baseUrl).toBeUndefined();
    expect(builtInProviders("http://127.0.0.1:1/v1", {}).openai?.baseUrl).toBe(
      "http://127.0.0.1:1/v1",
    );
  });

  it.each([
    [{}, "http://localhost:11434/v1"],
    [{ CODEX_OSS_PORT: "8000" }, "http://localhost:8000/v1"],
    [{ CODEX_OSS_PORT: "not-a-port" }, "http://localhost:11434/v1"],
    [{ CODEX_OSS_PORT: "70000" }, "http://localhost:11434/v1"],
    [{ CODEX_OSS_BASE_URL: "  " }, "http://localhost:11434/v1"],
    [{ CODEX_OSS_BASE_URL: "http://h/v1", CODEX_OSS_PORT: "1" }, "http://h/v1"],
  ])("oss base URL from %j", (env, url) => {
    expect(ossProvider(11434, env).baseUrl).toBe(url);
  });

  it("a minimal table gets upstream's defaults and no absent fields", () => {
    expect(providerFromToml({ name: "x" })).toEqual({
      name: "x",
      wireApi: "responses",
      requiresOpenaiAuth: false,
      supportsWebsockets: false,
    });
  });
});

import { describe, expect, it } from "vitest";
import { FakeBackendError } from "./fake-backend-error.js";
import {
  DEFAULT_ACCOUNT,
  DEFAULT_CLIENT_ID,
  type FakeBackendOptions,
  resolveOptions,
} from "./fake-backend-options.js";

describe("resolveOptions", () => {
  it("fills every default", () => {
    const resolved = resolveOptions({});
    expect(resolved).toMatchObject({
      port: 0,
      clientId: DEFAULT_CLIENT_ID,
      account: DEFAULT_ACCOUNT,
      accessTokenTtlSeconds: 3600,
      maxBodyBytes: 4 * 1024 * 1024,
      maxAssertionSkewSeconds: 300,
      defaultScript: { kind: "echo" },
      deviceAuth: { enabled: true, intervalSeconds: 0, pendingPolls: 1 },
    });
    expect(resolved.randomBytes(8)).toHaveLength(8);
  });

  it("serves one model by default and keeps a configured list in order", () => {
    expect(resolveOptions({}).models).toEqual(["gpt-5.5"]);
    expect(resolveOptions({ models: ["gpt-b", "gpt-a"] }).models).toEqual(["gpt-b", "gpt-a"]);
  });

  it("merges a partial account", () => {
    expect(resolveOptions({ account: { planType: "team" } }).account).toEqual({
      ...DEFAULT_ACCOUNT,
      planType: "team",
    });
  });

  const bad: [string, unknown][] = [
    ["null options", null],
    ["negative port", { port: -1 }],
    ["huge port", { port: 70000 }],
    ["fractional ttl", { accessTokenTtlSeconds: 1.5 }],
    ["zero ttl", { refreshTokenTtlSeconds: 0 }],
    ["zero body limit", { maxBodyBytes: 0 }],
    ["string skew", { maxAssertionSkewSeconds: "5" }],
    ["empty client id", { clientId: "" }],
    ["empty email", { account: { email: "" } }],
    ["numeric plan", { account: { planType: 3 } }],
    ["apiKeys not an array", { apiKeys: "sk-1" }],
    ["negative pending polls", { deviceAuth: { pendingPolls: -1 } }],
    ["a rate-limit name with CRLF", { rateLimits: { limitName: "codex\r\nx-evil: 1" } }],
    [
      "a rate-limit balance with a newline",
      { rateLimits: { credits: { hasCredits: true, unlimited: false, balance: "1\n" } } },
    ],
    ["a rate-limit window without numbers", { rateLimits: { primary: { usedPercent: "x" } } }],
    ["an empty model list", { models: [] }],
    ["models not an array", { models: "gpt-5.5" }],
    ["a model slug with a space", { models: ["gpt 5"] }],
    ["a repeated model slug", { models: ["m", "m"] }],
    ["a numeric model slug", { models: [5] }],
  ];
  it.each(bad)("rejects %s with invalid_options", (_name, options) => {
    expect(() => resolveOptions(options as FakeBackendOptions)).toThrow(FakeBackendError);
    try {
      resolveOptions(options as FakeBackendOptions);
    } catch (error) {
      expect((error as FakeBackendError).code).toBe("invalid_options");
    }
  });
});

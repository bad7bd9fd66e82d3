import { createHttpClient } from "@codex/http";
import { describe, expect, it } from "vitest";
import { readRateLimits } from "./rate-limits-read.js";

function read(status: number, body: unknown) {
  return readRateLimits({
    http: createHttpClient({ fetch: async () => Response.json(body, { status }) }),
    chatgptBaseUrl: "https://chatgpt.com/backend-api",
    headers: { authorization: "Bearer t" },
    userAgent: "ua",
  });
}

const window = (used: number, seconds: number, reset: number) => ({
  used_percent: used,
  limit_window_seconds: seconds,
  reset_after_seconds: 10,
  reset_at: reset,
});

describe("readRateLimits", () => {
  it("maps /wham/usage to 0.169's result, extra limits keyed by metered feature", async () => {
    const result = await read(200, {
      plan_type: "pro",
      rate_limit: { primary_window: window(12, 18_000, 2_000_000_000), secondary_window: null },
      credits: { has_credits: true, unlimited: false, balance: "5" },
      additional_rate_limits: [
        {
          limit_name: "Spark",
          metered_feature: "codex_spark",
          rate_limit: { primary_window: window(1, 90, 7) },
        },
      ],
    });
    expect(result.rateLimits).toEqual({
      limitId: "codex",
      limitName: null,
      normalModelSlug: null,
      primary: { usedPercent: 12, windowDurationMins: 300, resetsAt: 2_000_000_000 },
      secondary: null,
      credits: { hasCredits: true, unlimited: false, balance: "5" },
      individualLimit: null,
      spendControlReached: null,
      planType: "pro",
      rateLimitReachedType: null,
    });
    expect(result.ordinaryUsageAllowed).toBeNull();
    expect(result.rateLimitsByLimitId.codex).toEqual(result.rateLimits);
    expect(result.rateLimitsByLimitId.codex_spark).toMatchObject({
      limitId: "codex_spark",
      limitName: "Spark",
      primary: { usedPercent: 1, windowDurationMins: 2, resetsAt: 7 },
    });
  });

  it("a missing rate_limit reads as empty windows and an unknown plan as unknown", async () => {
    const result = await read(200, { plan_type: "galaxy" });
    expect(result.rateLimits).toMatchObject({
      primary: null,
      secondary: null,
      credits: null,
      planType: "unknown",
    });
  });

  it.each([
    [
      200,
      { rate_limit: { primary_window: window(1, 60, 2 ** 31) } },
      /^failed to fetch codex rate limits: Decode error for https:\/\/chatgpt.com\/backend-api\/wham\/usage$/,
    ],
    [200, { rate_limit: "nope" }, /Decode error/],
    [503, {}, /^failed to fetch codex rate limits: GET .* failed: 503$/],
  ])("status %i %j fails with a typed error", async (status, body, message) => {
    await expect(read(status, body)).rejects.toMatchObject({
      code: "backend_failed",
      message: expect.stringMatching(message),
    });
  });
});

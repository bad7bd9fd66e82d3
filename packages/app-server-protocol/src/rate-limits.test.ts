import { describe, expect, it } from "vitest";
import {
  AccountRateLimitsUpdatedNotification,
  GetAccountRateLimitsResponse,
} from "./rate-limits.js";

describe("rate limits", () => {
  it("parses a full read result and a sparse update", () => {
    const read = GetAccountRateLimitsResponse.parse({
      rateLimits: {
        limitId: "codex",
        primary: { usedPercent: 12.5, windowDurationMins: 300, resetsAt: 1767225600 },
        secondary: null,
        planType: "pro",
      },
      rateLimitsByLimitId: { codex: { limitId: "codex" } },
    });
    expect(read.rateLimits.primary?.usedPercent).toBe(12.5);
    expect(AccountRateLimitsUpdatedNotification.parse({ rateLimits: {} })).toEqual({
      rateLimits: {},
    });
  });

  it("keeps later upstream members and rejects wrong types", () => {
    expect(
      AccountRateLimitsUpdatedNotification.parse({
        rateLimits: { rateLimitReachedType: "primary" },
      }).rateLimits,
    ).toEqual({ rateLimitReachedType: "primary" });
    expect(
      GetAccountRateLimitsResponse.safeParse({ rateLimits: { primary: { usedPercent: "1" } } })
        .success,
    ).toBe(false);
    expect(GetAccountRateLimitsResponse.safeParse({}).success).toBe(false);
  });
});

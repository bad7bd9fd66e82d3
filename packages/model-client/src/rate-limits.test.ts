import { describe, expect, it } from "vitest";
import { parseRateLimitEvent, parseRateLimitHeaders } from "./rate-limits.js";

describe("parseRateLimitHeaders", () => {
  it("always returns the codex snapshot, with windows and credits when present", () => {
    expect(parseRateLimitHeaders(new Headers())).toEqual([{ limitId: "codex" }]);
    const headers = new Headers({
      "x-codex-primary-used-percent": "12.5",
      "x-codex-primary-window-minutes": "300",
      "x-codex-primary-reset-at": "1700000000",
      "x-codex-secondary-used-percent": "0",
      "x-codex-secondary-window-minutes": "0",
      "x-codex-credits-has-credits": "true",
      "x-codex-credits-unlimited": "0",
      "x-codex-credits-balance": "100",
      "x-codex-limit-name": "Plus",
      "x-codex-other-primary-used-percent": "50",
    });
    expect(parseRateLimitHeaders(headers)).toEqual([
      {
        limitId: "codex",
        limitName: "Plus",
        primary: { usedPercent: 12.5, windowMinutes: 300, resetsAt: 1700000000 },
        credits: { hasCredits: true, unlimited: false, balance: "100" },
      },
      { limitId: "codex_other", primary: { usedPercent: 50 } },
    ]);
  });

  it("ignores unparseable percentages", () => {
    expect(parseRateLimitHeaders(new Headers({ "x-codex-primary-used-percent": "lots" }))).toEqual([
      { limitId: "codex" },
    ]);
  });

  it("reads the WebSocket codex.rate_limits event", () => {
    expect(
      parseRateLimitEvent({
        type: "codex.rate_limits",
        plan_type: "plus",
        rate_limits: { primary: { used_percent: 10, window_minutes: 300, reset_at: 5 } },
        credits: { has_credits: false, unlimited: false },
      }),
    ).toEqual({
      limitId: "codex",
      primary: { usedPercent: 10, windowMinutes: 300, resetsAt: 5 },
      credits: { hasCredits: false, unlimited: false },
      planType: "plus",
    });
    expect(parseRateLimitEvent({ type: "codex.rate_limits" })).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { rateLimitEvent, rateLimitHeaders } from "./rate-limit-headers.js";

const NOW = Date.UTC(2026, 3, 20, 8, 0, 0);

describe("rate-limit headers", () => {
  it("renders both windows, credits and the limit name", () => {
    expect(
      rateLimitHeaders(
        {
          primary: { usedPercent: 12.5, windowMinutes: 300, resetAfterSeconds: 60 },
          secondary: { usedPercent: 0, windowMinutes: 10080, resetAfterSeconds: 120 },
          credits: { hasCredits: true, unlimited: false, balance: "9.5" },
          limitName: "codex",
        },
        NOW,
      ),
    ).toEqual({
      "x-codex-primary-used-percent": "12.5",
      "x-codex-primary-window-minutes": "300",
      "x-codex-primary-reset-at": String(NOW / 1000 + 60),
      "x-codex-secondary-used-percent": "0",
      "x-codex-secondary-window-minutes": "10080",
      "x-codex-secondary-reset-at": String(NOW / 1000 + 120),
      "x-codex-credits-has-credits": "true",
      "x-codex-credits-unlimited": "false",
      "x-codex-credits-balance": "9.5",
      "x-codex-limit-name": "codex",
    });
  });

  it("renders nothing for an empty snapshot", () => {
    expect(rateLimitHeaders({}, NOW)).toEqual({});
  });

  it("builds the codex.rate_limits event", () => {
    expect(
      rateLimitEvent(
        { primary: { usedPercent: 5, windowMinutes: 60, resetAfterSeconds: 10 } },
        "pro",
        NOW,
      ),
    ).toEqual({
      type: "codex.rate_limits",
      plan_type: "pro",
      rate_limits: {
        primary: { used_percent: 5, window_minutes: 60, reset_at: NOW / 1000 + 10 },
        secondary: null,
      },
      credits: null,
      limit_name: null,
    });
  });
});

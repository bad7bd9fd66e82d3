import { describe, expect, it } from "vitest";
import { HIGH_DEMAND_MESSAGE, requestIdOf, statusError, statusText } from "./status-error.js";

const json = (value: unknown) => JSON.stringify(value);

describe("statusError", () => {
  it.each([
    [503, { error: { code: "server_is_overloaded" } }, "server_overloaded"],
    [503, { error: { code: "slow_down" } }, "server_overloaded"],
    [502, {}, "internal_server_error"],
    [400, { error: { code: "cyber_policy", message: "no" } }, "cyber_policy"],
    [400, { error: { message: "bad" } }, "invalid_request"],
    [429, { error: { type: "usage_limit_reached" } }, "usage_limit_reached"],
    [429, { error: { type: "usage_not_included" } }, "usage_not_included"],
    [429, { error: { code: "insufficient_quota" } }, "quota_exceeded"],
    [429, { error: { code: "rate_limit_exceeded" } }, "retry_limit"],
    [404, {}, "unexpected_status"],
    [401, {}, "unexpected_status"],
  ])("%i %j → %s", (status, body, code) => {
    expect(statusError(status, new Headers(), json(body)).code).toBe(code);
  });

  it("uses upstream's texts", () => {
    expect(statusError(500, new Headers(), "").message).toBe(HIGH_DEMAND_MESSAGE);
    expect(statusError(429, new Headers({ "cf-ray": "ray-1" }), "{}").message).toBe(
      "exceeded retry limit, last status: 429 Too Many Requests, request id: ray-1",
    );
    expect(statusError(429, new Headers(), "not json").message).toBe(
      "exceeded retry limit, last status: 429 Too Many Requests",
    );
    expect(statusText(418)).toBe("418");
  });

  it("prefers x-request-id, then x-oai-request-id, then cf-ray", () => {
    expect(requestIdOf(new Headers({ "x-oai-request-id": "b", "cf-ray": "c" }))).toBe("b");
    expect(requestIdOf(new Headers({ "x-request-id": "a", "cf-ray": "c" }))).toBe("a");
    expect(requestIdOf(new Headers())).toBeUndefined();
  });

  it("reads the usage limit: plan, reset, the active limit family and the promo message", () => {
    const error = statusError(
      429,
      new Headers({
        "x-codex-active-limit": "codex-other",
        "x-codex-other-primary-used-percent": "100",
        "x-codex-other-primary-window-minutes": "300",
        "x-codex-promo-message": "Upgrade for more",
      }),
      json({ error: { type: "usage_limit_reached", plan_type: "plus", resets_at: 1700000000 } }),
    );
    expect(error).toMatchObject({
      code: "usage_limit_reached",
      planType: "plus",
      resetsAt: 1700000000,
      promoMessage: "Upgrade for more",
      rateLimits: { limitId: "codex_other", primary: { usedPercent: 100, windowMinutes: 300 } },
    });
    expect(error.retryable).toBe(false);
  });
});

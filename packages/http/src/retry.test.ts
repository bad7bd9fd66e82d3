import { describe, expect, it } from "vitest";
import { backoffDelayMs, isServerError, parseRetryAfterMs } from "./retry.js";

describe("backoffDelayMs", () => {
  it("doubles from the base with jitter in [0.9, 1.1) and caps", () => {
    expect(backoffDelayMs(1, {}, () => 0)).toBe(180);
    expect(backoffDelayMs(1, {}, () => 0.999999)).toBe(220);
    expect(backoffDelayMs(4, { baseDelayMs: 100 }, () => 0.5)).toBe(800);
    expect(backoffDelayMs(50, { maxDelayMs: 5000 }, () => 0.5)).toBe(5000);
    // Upstream's defaults (stream reconnects use them): 200 ms doubling, capped at 30 s.
    expect(backoffDelayMs(3, {}, () => 0.5)).toBe(800);
    expect(backoffDelayMs(40, {}, () => 0.99)).toBe(30_000);
  });
});

describe("parseRetryAfterMs", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  it.each([
    ["3", 3000],
    ["1.5", 1500],
    ["Thu, 01 Jan 2026 00:00:10 GMT", 10_000],
    ["Wed, 31 Dec 2025 00:00:00 GMT", 0],
  ])("parses %s", (header, expected) => {
    expect(parseRetryAfterMs(header, now)).toBe(expected);
  });
  it.each([null, undefined, "", "soon", "-1", "12abc"])("ignores %s", (header) => {
    expect(parseRetryAfterMs(header, now)).toBeUndefined();
  });
});

describe("isServerError", () => {
  it("is true for 5xx only", () => {
    expect([499, 500, 503, 599, 600, 429].map(isServerError)).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

import {
  formatRfc3339Seconds as formatTimestamp,
  parseRfc3339Seconds as parseTimestamp,
} from "@codex/wire";
import { describe, expect, it } from "vitest";
import { readNow } from "./timestamp.js";

// Assertions are written and read by @codex/wire's RFC 3339 seconds functions; these tables hold
// them to what an AgentAssertion timestamp must be (the rules this package had its own copy of).

describe("formatRfc3339Seconds (assertion timestamps)", () => {
  it("writes whole seconds with Z, padding every field", () => {
    expect(formatTimestamp(new Date("2026-04-15T08:30:15.999Z"))).toBe("2026-04-15T08:30:15Z");
    expect(formatTimestamp(new Date("0001-01-01T00:00:00Z"))).toBe("0001-01-01T00:00:00Z");
    expect(formatTimestamp(new Date(0))).toBe("1970-01-01T00:00:00Z");
  });
});

describe("parseRfc3339Seconds (assertion timestamps)", () => {
  it.each([
    "2026-04-15T00:00:00Z",
    "2000-02-29T23:59:59Z",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
  ])("accepts %s", (text) => {
    const ms = parseTimestamp(text);
    expect(ms).toBeTypeOf("number");
    expect(formatTimestamp(new Date(ms!))).toBe(text);
  });

  it.each([
    "2026-04-15T00:00:00.000Z",
    "2026-04-15T00:00:00+00:00",
    "2026-04-15 00:00:00Z",
    "2026-04-15T00:00:00z",
    "2026-02-30T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-00-01T00:00:00Z",
    "2026-04-00T00:00:00Z",
    "2026-04-15T24:00:00Z",
    "2026-04-15T23:60:00Z",
    "2026-12-31T23:59:60Z",
    "1776211200",
    "+02026-04-15T00:00:00Z",
    "２０２６-04-15T00:00:00Z",
    "",
  ])("rejects %j", (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});

describe("readNow", () => {
  it("takes a Date, a clock, or the system time", () => {
    const date = new Date("2026-01-01T00:00:00Z");
    expect(readNow(date)).toBe(date);
    expect(readNow(() => date)).toBe(date);
    const before = Date.now();
    const now = readNow(undefined).getTime();
    expect(now).toBeGreaterThanOrEqual(before);
  });
});

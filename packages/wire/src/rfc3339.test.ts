import { describe, expect, it } from "vitest";
import {
  formatRfc3339,
  formatRfc3339Millis,
  formatRfc3339Seconds,
  instantFromMillis,
  instantToMillis,
  parseRfc3339,
  parseRfc3339Seconds,
} from "./rfc3339.js";

describe("parseRfc3339 / formatRfc3339", () => {
  it.each([
    ["2026-04-20T08:15:02Z", "2026-04-20T08:15:02Z"],
    ["2026-04-20T08:15:02.5Z", "2026-04-20T08:15:02.500Z"],
    ["2026-04-20T08:15:02.123456Z", "2026-04-20T08:15:02.123456Z"],
    ["2026-04-20T08:15:02.123456789Z", "2026-04-20T08:15:02.123456789Z"],
    ["2026-04-20T08:15:02.1234567891Z", "2026-04-20T08:15:02.123456789Z"],
    ["2026-04-20T10:15:02+02:00", "2026-04-20T08:15:02Z"],
    ["2026-04-20t00:15:02.1-08:30", "2026-04-20T08:45:02.100Z"],
    ["2026-04-20 08:15:02z", "2026-04-20T08:15:02Z"],
    ["2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z"],
    ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"],
  ])("reads %s and writes it chrono-style", (input, output) => {
    const instant = parseRfc3339(input);
    expect(instant).toBeDefined();
    expect(formatRfc3339(instant!)).toBe(output);
  });

  it.each([
    "",
    "2026-04-20",
    "2026-13-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-04-20T24:00:00Z",
    "2026-04-20T08:15:61Z",
    "2026-04-20T08:15:02+24:00",
    "2026-04-20T08:15:02",
    "yesterday",
  ])("rejects %j", (input) => {
    expect(parseRfc3339(input)).toBeUndefined();
  });
});

describe("parseRfc3339Seconds", () => {
  it("reads exactly YYYY-MM-DDTHH:MM:SSZ", () => {
    expect(parseRfc3339Seconds("2026-04-20T08:15:02Z")).toBe(Date.UTC(2026, 3, 20, 8, 15, 2));
    expect(parseRfc3339Seconds("0050-01-01T00:00:00Z")).toBe(
      new Date("0050-01-01T00:00:00Z").getTime(),
    );
  });
  it.each([
    "2026-04-20T08:15:02.000Z",
    "2026-04-20T08:15:02+00:00",
    "2026-02-29T00:00:00Z",
    "2026-04-20T08:15:60Z",
    " 2026-04-20T08:15:02Z",
  ])("rejects %j", (input) => {
    expect(parseRfc3339Seconds(input)).toBeUndefined();
  });
});

describe("formatting", () => {
  const date = new Date("2026-04-20T08:15:02.123Z");
  it("writes whole seconds and milliseconds", () => {
    expect(formatRfc3339Seconds(date)).toBe("2026-04-20T08:15:02Z");
    expect(formatRfc3339Millis(date)).toBe("2026-04-20T08:15:02.123Z");
    expect(formatRfc3339Millis(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(formatRfc3339Seconds(new Date("0099-01-01T00:00:00Z"))).toBe("0099-01-01T00:00:00Z");
  });
  it.each([Number.NaN, new Date("x"), Date.UTC(10000, 0, 1), -62198755200001])(
    "refuses %s with a RangeError",
    (time) => {
      expect(() => formatRfc3339Seconds(time)).toThrow(RangeError);
      expect(() => formatRfc3339Millis(time)).toThrow(RangeError);
    },
  );
  it("converts milliseconds both ways", () => {
    const instant = instantFromMillis(date.getTime());
    expect(instant).toEqual({ seconds: Math.floor(date.getTime() / 1000), nanos: 123_000_000 });
    expect(instantToMillis(instant)).toBe(date.getTime());
    expect(formatRfc3339(instant)).toBe("2026-04-20T08:15:02.123Z");
    expect(instantFromMillis(-1)).toEqual({ seconds: -1, nanos: 999_000_000 });
  });
});

import { describe, expect, it } from "vitest";
import {
  formatTimestamp,
  parseTimestamp,
  timestampFromDate,
  timestampToMillis,
} from "./timestamp.js";

describe("timestamps", () => {
  it.each([
    ["2026-04-20T08:15:02Z", "2026-04-20T08:15:02Z"],
    ["2026-04-20T08:15:02.5Z", "2026-04-20T08:15:02.500Z"],
    ["2026-04-20T08:15:02.123456Z", "2026-04-20T08:15:02.123456Z"],
    ["2026-04-20T08:15:02.123456789Z", "2026-04-20T08:15:02.123456789Z"],
    ["2026-04-20T10:15:02+02:00", "2026-04-20T08:15:02Z"],
    ["2026-04-20T00:15:02.1-08:30", "2026-04-20T08:45:02.100Z"],
  ])("reads %s and writes it chrono-style", (input, output) => {
    const ts = parseTimestamp(input);
    expect(ts).toBeDefined();
    expect(formatTimestamp(ts!)).toBe(output);
  });
  it.each(["", "2026-04-20", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "yesterday"])(
    "rejects %j",
    (input) => {
      expect(parseTimestamp(input)).toBeUndefined();
    },
  );
  it("converts from and to Date", () => {
    const d = new Date("2026-04-20T08:15:02.123Z");
    expect(timestampToMillis(timestampFromDate(d))).toBe(d.getTime());
    expect(formatTimestamp(timestampFromDate(d))).toBe("2026-04-20T08:15:02.123Z");
  });
});

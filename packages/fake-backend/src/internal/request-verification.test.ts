import { describe, expect, it } from "vitest";
import { parseStrictTimestamp } from "./request-verification.js";

describe("parseStrictTimestamp", () => {
  it("reads YYYY-MM-DDTHH:MM:SSZ", () => {
    expect(parseStrictTimestamp("2026-04-15T00:00:00Z")).toBe(Date.UTC(2026, 3, 15));
  });

  it.each([
    "",
    "2026-04-15T00:00:00",
    "2026-04-15T00:00:00.000Z",
    "2026-04-15T00:00:00+00:00",
    "2026-02-30T00:00:00Z",
    "2026-04-15T24:00:00Z",
    "2026-04-15t00:00:00z",
    " 2026-04-15T00:00:00Z",
  ])("rejects %j", (value) => {
    expect(parseStrictTimestamp(value)).toBeUndefined();
  });
});

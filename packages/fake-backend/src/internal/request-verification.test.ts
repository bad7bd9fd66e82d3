import { parseRfc3339Seconds } from "@codex/wire";
import { describe, expect, it } from "vitest";

describe("the timestamp rule of assertions and task registrations (parseRfc3339Seconds)", () => {
  it("reads YYYY-MM-DDTHH:MM:SSZ", () => {
    expect(parseRfc3339Seconds("2026-04-15T00:00:00Z")).toBe(Date.UTC(2026, 3, 15));
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
    expect(parseRfc3339Seconds(value)).toBeUndefined();
  });
});

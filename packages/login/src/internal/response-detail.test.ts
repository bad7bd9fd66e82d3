import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { scrubEchoedSecrets, statusLine } from "./response-detail.js";

describe("response detail", () => {
  it("scrubs every echoed copy of the request secrets (4+ chars; shorter ones would mangle text)", () => {
    expect(scrubEchoedSecrets("a rt-123 b rt-123 abc", [new Secret("rt-123"), "abc", "x"])).toBe(
      "a [REDACTED] b [REDACTED] abc",
    );
  });

  it("prints statuses like upstream", () => {
    expect(statusLine(400)).toBe("400 Bad Request");
    expect(statusLine(503)).toBe("503 Service Unavailable");
    expect(statusLine(599)).toBe("599");
  });
});

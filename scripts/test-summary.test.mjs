import { describe, expect, it } from "vitest";
import { createTestSummary } from "./test-summary.mjs";

const feed = (lines) => {
  const summary = createTestSummary();
  for (const line of lines) summary.scan(line);
  return summary;
};

describe("test summary", () => {
  it("sums vitest's Tests lines across packages, colours and turbo prefixes included", () => {
    const summary = feed([
      "@codex/http:test:       Tests  12 passed (12)",
      "@codex/login:test: \u001b[2m      Tests \u001b[22m \u001b[1m\u001b[31m2 failed\u001b[39m | 40 passed | 3 skipped (45)",
      "      Tests  9 passed (9)",
      "@codex/wire:test:  Test Files  3 passed (3)",
    ]);
    expect(summary.counts).toEqual({ passed: 61, failed: 2, skipped: 3 });
    expect(summary.render(1).endsWith("\ntests: 61 passed, 2 failed, 3 skipped\n")).toBe(true);
  });

  it("leaves out the skipped count when nothing was skipped", () => {
    expect(feed(["Tests  5 passed (5)"]).render(0)).toBe("\ntests: 5 passed, 0 failed\n");
  });

  it("counts a suite that died before its summary as a failure", () => {
    expect(feed(["Tests  5 passed (5)"]).render(1)).toBe("\ntests: 5 passed, 1 failed\n");
  });

  it("repeats each distinct skip reason once, with its package, before the closing line", () => {
    const summary = feed([
      "@codex/login:test: system-test skipped: Secret Service: no dbus-run-session on PATH",
      "@codex/login:test: system-test skipped: Secret Service: no dbus-run-session on PATH",
      "@codex/login:test: [system test] SKIP Chromium is not available: missing chromium (set X)",
      "@codex/login:test: [system test] FAIL Chromium is not available: missing chromium",
      "system-test skipped: flock: no second process",
      "@codex/login:test:       Tests  1 failed | 10 passed | 4 skipped (15)",
    ]);
    expect(summary.render(1)).toBe(
      "\nsystem tests not run (CODEX_REQUIRE_SYSTEM_TESTS=1 turns a skip into a failure):\n" +
        "  @codex/login: Secret Service: no dbus-run-session on PATH\n" +
        "  @codex/login: Chromium is not available: missing chromium (set X)\n" +
        "  @codex/login: required, could not run: Chromium is not available: missing chromium\n" +
        "  flock: no second process\n" +
        "\ntests: 10 passed, 1 failed, 4 skipped\n",
    );
  });
});

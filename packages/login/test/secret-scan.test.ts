// The suite-wide secret scan (test/support/secret-scan.global.ts) runs after every test file and
// fails the run when a registered test secret shows up in stdout, stderr, console, logger records
// or any error a test inspected. These tests pin the scanner itself.
import { inspect } from "node:util";
import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { LoginError } from "../src/errors.js";
import { CAPTURE_DIR_ENV, captureError, findLeaks, registerSecret } from "./support/capture.js";

describe("secret scanner", () => {
  it("finds a registered secret anywhere in captured text", () => {
    expect(findLeaks("prefix rt-LEAK-123 suffix", ["rt-LEAK-123", "absent-secret"])).toEqual([
      "rt-LEAK-123",
    ]);
    expect(findLeaks("nothing here", ["rt-LEAK-123"])).toEqual([]);
  });

  it("is active for this run (capture directory set by the global setup)", () => {
    expect(process.env[CAPTURE_DIR_ENV]).toBeTruthy();
  });

  it("captures errors with their cause chain, and a Secret inside stays redacted", () => {
    const raw = registerSecret("scan-SECRET-value-1");
    const err = new LoginError("refresh_failed", "Failed to refresh token", {
      cause: { token: new Secret(raw) },
    });
    captureError(err);
    expect(inspect(err, { depth: 8 })).not.toContain(raw);
  });
});

import { HttpError } from "@codex/http";
import { describe, expect, it } from "vitest";
import { ModelClientError } from "../model-client-error.js";
import { backoffDelayMs, streamRetryable, transportError } from "./transport-errors.js";

describe("transport errors", () => {
  it("backs off 200 ms doubling, with ±10% jitter, capped at 30 s", () => {
    expect(backoffDelayMs(1, () => 0.5)).toBe(200);
    expect(backoffDelayMs(3, () => 0.5)).toBe(800);
    expect(backoffDelayMs(1, () => 0)).toBe(180);
    expect(backoffDelayMs(40, () => 0.99)).toBe(30_000);
  });

  it.each([
    ["timeout", "timeout", true],
    ["aborted", "aborted", false],
    ["network", "connection_failed", true],
    ["invalid_request", "invalid_argument", false],
    ["invalid_ca", "invalid_argument", false],
  ] as const)("maps HttpError %s to %s", (from, to, retryable) => {
    const mapped = transportError(new HttpError(from, "m"));
    expect(mapped.code).toBe(to);
    expect(streamRetryable(mapped)).toBe(retryable);
  });

  it("passes a ModelClientError through and wraps anything else", () => {
    const own = new ModelClientError("stream", "s");
    expect(transportError(own)).toBe(own);
    expect(transportError(new Error("x")).code).toBe("connection_failed");
  });
});

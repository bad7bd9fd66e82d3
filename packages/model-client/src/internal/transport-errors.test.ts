import { HttpError } from "@codex/http";
import { describe, expect, it } from "vitest";
import { ModelClientError } from "../model-client-error.js";
import { streamRetryable, transportError } from "./transport-errors.js";

describe("transport errors", () => {
  it.each([
    ["timeout", "timeout", true],
    ["aborted", "aborted", false],
    ["network", "connection_failed", true],
    ["invalid_request", "invalid_argument", false],
    ["invalid_ca", "invalid_argument", false],
    ["invalid_proxy", "invalid_argument", false],
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

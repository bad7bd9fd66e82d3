import { describe, expect, it } from "vitest";
import { ModelClientError } from "./model-client-error.js";

describe("ModelClientError", () => {
  it("carries code, name, details and cause", () => {
    const cause = new Error("socket");
    const error = new ModelClientError("retry_limit", "exceeded", {
      status: 429,
      requestId: "req-1",
      retryAfterMs: 1000,
      errorCode: "rate_limit_exceeded",
      cause,
    });
    expect(error).toMatchObject({
      name: "ModelClientError",
      code: "retry_limit",
      status: 429,
      requestId: "req-1",
      retryAfterMs: 1000,
      errorCode: "rate_limit_exceeded",
    });
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
  });

  it("is recognised by brand across copies, not by shape alone", () => {
    const foreign = Object.assign(new Error("x"), {
      code: "stream",
      [Symbol.for("codex.model-client.error")]: true,
    });
    expect(ModelClientError.is(new ModelClientError("stream", "s"))).toBe(true);
    expect(ModelClientError.is(foreign)).toBe(true);
    expect(ModelClientError.is({ code: "stream" })).toBe(false);
    expect(ModelClientError.is(new Error("plain"))).toBe(false);
    expect(ModelClientError.is(undefined)).toBe(false);
  });

  it.each([
    ["stream", true],
    ["retryable", true],
    ["timeout", true],
    ["connection_failed", true],
    ["unexpected_status", true],
    ["internal_server_error", true],
    ["retry_limit", false],
    ["quota_exceeded", false],
    ["usage_limit_reached", false],
    ["usage_not_included", false],
    ["context_window_exceeded", false],
    ["aborted", false],
    ["refresh_token_failed", false],
  ] as const)("%s retryable = %s", (code, retryable) => {
    expect(new ModelClientError(code, "m").retryable).toBe(retryable);
  });
});

import { AppServerProtocolError } from "@codex/app-server-protocol";
import { LoginError } from "@codex/login";
import { ModelClientError } from "@codex/model-client";
import { describe, expect, it } from "vitest";
import { modelErrorMessage, refreshFailureMessage, turnErrorOf } from "./turn-error.js";

const wrapped = (cause: unknown) =>
  new ModelClientError(
    "refresh_token_failed",
    "Your access token could not be refreshed. Please sign in again.",
    { cause },
  );

describe("turnErrorOf", () => {
  it("keeps the JSON-RPC code of a refresher's error answer, not its message", () => {
    const rpc = new AppServerProtocolError("rpc_error", "failed", {
      rpcError: { code: -32000, message: "secret-ish host text" },
    });
    const error = wrapped(
      new LoginError("external_auth_failed", "auth refresh request failed", { cause: rpc }),
    );
    expect(turnErrorOf(error)).toEqual({
      message: "auth refresh request failed: code=-32000",
      codexErrorInfo: "other",
      additionalDetails: null,
      misalignment: null,
    });
  });

  it("keeps the timeout text and a refresher message already worded like 0.169", () => {
    const timeout = new LoginError(
      "external_auth_timeout",
      "auth refresh request timed out after 10s",
    );
    expect(turnErrorOf(wrapped(timeout)).message).toBe("auth refresh request timed out after 10s");
    const worded = new LoginError("external_auth_failed", "auth refresh request failed", {
      cause: new Error("auth refresh request failed: code=-32001"),
    });
    expect(refreshFailureMessage(wrapped(worded))).toBe("auth refresh request failed: code=-32001");
    const plain = new LoginError("external_auth_failed", "auth refresh request failed", {
      cause: new Error("boom"),
    });
    expect(refreshFailureMessage(plain)).toBe("auth refresh request failed");
  });

  it("maps model errors to CodexErrorInfo and anything else to other", () => {
    expect(
      turnErrorOf(new ModelClientError("context_window_exceeded", "too long")).codexErrorInfo,
    ).toBe("contextWindowExceeded");
    expect(
      turnErrorOf(new ModelClientError("unexpected_status", "nope", { status: 401 }))
        .codexErrorInfo,
    ).toBe("unauthorized");
    expect(
      turnErrorOf(new ModelClientError("invalid_request", "bad", { status: 400 })).codexErrorInfo,
    ).toBe("badRequest");
    expect(turnErrorOf(new ModelClientError("invalid_request", "refused")).codexErrorInfo).toBe(
      "other",
    );
    expect(turnErrorOf(new ModelClientError("stream", "cut"))).toMatchObject({
      message: "stream disconnected before completion: cut",
      codexErrorInfo: "other",
    });
    expect(turnErrorOf("weird")).toEqual({
      message: "turn failed",
      codexErrorInfo: "other",
      additionalDetails: null,
      misalignment: null,
    });
    expect(refreshFailureMessage(new Error("x"))).toBeUndefined();
  });

  it("words stream errors as 0.169's CodexErr::Stream, once, and leaves the others alone", () => {
    const closed = new ModelClientError("stream", "stream closed before response.completed");
    expect(turnErrorOf(closed).message).toBe(
      "stream disconnected before completion: stream closed before response.completed",
    );
    expect(modelErrorMessage(new ModelClientError("stream", "idle timeout waiting for SSE"))).toBe(
      "stream disconnected before completion: idle timeout waiting for SSE",
    );
    expect(modelErrorMessage(new ModelClientError("retryable", "server hiccup"))).toBe(
      "stream disconnected before completion: server hiccup",
    );
    const already = "stream disconnected before completion: error decoding response body";
    expect(modelErrorMessage(new ModelClientError("stream", already))).toBe(already);
    expect(modelErrorMessage(new ModelClientError("invalid_request", "refused"))).toBe("refused");
    expect(modelErrorMessage(new ModelClientError("quota_exceeded", "Quota exceeded."))).toBe(
      "Quota exceeded.",
    );
  });
});

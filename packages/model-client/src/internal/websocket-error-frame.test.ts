import { describe, expect, it } from "vitest";
import { ModelClientError } from "../model-client-error.js";
import { errorFrameError, reconnectableFrame } from "./websocket-error-frame.js";

describe("errorFrameError", () => {
  it("maps a connection-limit frame to a retryable error", () => {
    const frame = { type: "error", error: { code: "websocket_connection_limit_reached" } };
    const error = errorFrameError(frame, JSON.stringify(frame));
    expect(error.code).toBe("retryable");
    expect(error.errorCode).toBe("websocket_connection_limit_reached");
    expect(reconnectableFrame(error)).toBe(true);
  });

  it("maps a frame without status to a stream error with its message", () => {
    const error = errorFrameError({ type: "error", error: { message: "boom" } }, "{}");
    expect(error.code).toBe("stream");
    expect(error.message).toBe("boom");
    expect(reconnectableFrame(error)).toBe(false);
  });

  it("maps a status frame like an HTTP answer, with its headers", () => {
    const frame = {
      type: "error",
      status: 429,
      error: { code: "rate_limit_exceeded" },
      headers: { "x-request-id": "req-9" },
    };
    const error = errorFrameError(frame, JSON.stringify(frame));
    expect(error.status).toBe(429);
    expect(error.requestId).toBe("req-9");
    expect(reconnectableFrame(error)).toBe(true);
  });
});

describe("reconnectableFrame", () => {
  it("takes 5xx and refuses 4xx other than 429", () => {
    expect(reconnectableFrame(new ModelClientError("retryable", "x", { status: 503 }))).toBe(true);
    expect(reconnectableFrame(new ModelClientError("stream", "x", { status: 400 }))).toBe(false);
  });
});

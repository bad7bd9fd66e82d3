import { describe, expect, it } from "vitest";
import { ModelClientError } from "./model-client-error.js";
import { REALTIME_MULTIPART_BOUNDARY, realtimeCallBody, realtimeCallId } from "./realtime-call.js";

const session = { id: "sess_1", model: "gpt-realtime", instructions: "hi" };

describe("realtimeCallBody", () => {
  it("sends the bare SDP without a session", () => {
    expect(realtimeCallBody("v=offer\r\n", undefined, "https://api.openai.com/v1")).toEqual({
      contentType: "application/sdp",
      body: "v=offer\r\n",
    });
  });

  it("sends JSON {sdp, session} without the session id to a /backend-api base", () => {
    const { contentType, body } = realtimeCallBody(
      "v=offer\r\n",
      session,
      "https://chatgpt.com/backend-api/codex",
    );
    expect(contentType).toBe("application/json");
    expect(JSON.parse(body)).toEqual({
      sdp: "v=offer\r\n",
      session: { model: "gpt-realtime", instructions: "hi" },
    });
  });

  it("sends a multipart form with the parts sdp and session elsewhere", () => {
    const { contentType, body } = realtimeCallBody(
      "v=offer\r\n",
      session,
      "https://api.openai.com/v1",
    );
    const b = REALTIME_MULTIPART_BOUNDARY;
    expect(contentType).toBe(`multipart/form-data; boundary=${b}`);
    expect(body).toBe(
      `--${b}\r\nContent-Disposition: form-data; name="sdp"\r\nContent-Type: application/sdp\r\n\r\nv=offer\r\n\r\n` +
        `--${b}\r\nContent-Disposition: form-data; name="session"\r\nContent-Type: application/json\r\n\r\n{"model":"gpt-realtime","instructions":"hi"}\r\n` +
        `--${b}--\r\n`,
    );
  });

  it("refuses an empty SDP or a session that is not an object", () => {
    for (const [sdp, s] of [
      ["", undefined],
      ["  ", undefined],
      ["v=0", ["x"]],
    ] as const) {
      expect(() => realtimeCallBody(sdp, s as never, "https://x.test")).toThrow(
        expect.objectContaining({ code: "invalid_argument" }),
      );
    }
  });
});

describe("realtimeCallId", () => {
  it("takes the last rtc_ segment of the Location path", () => {
    expect(realtimeCallId("/v1/realtime/calls/rtc_test")).toBe("rtc_test");
    expect(realtimeCallId("/v1/realtime/calls/calls/rtc_backend_test")).toBe("rtc_backend_test");
    expect(realtimeCallId("https://x.test/v1/realtime/calls/rtc_q?x=rtc_no")).toBe("rtc_q");
  });

  it("fails with a stream error when the Location is missing or names no call", () => {
    for (const location of [null, "", "/v1/realtime/calls/rtc_", "/v1/realtime/calls/abc"]) {
      try {
        realtimeCallId(location);
        throw new Error("no error");
      } catch (error) {
        expect(ModelClientError.is(error) && error.code).toBe("stream");
      }
    }
  });
});

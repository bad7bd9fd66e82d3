import { isJsonObject, type JsonObject } from "@codex/wire";
import { ModelClientError } from "./model-client-error.js";

/** Options of {@link ModelClient.createRealtimeCall}. */
export interface RealtimeCallOptions {
  /**
   * The realtime session configuration sent with the offer (its `id` is dropped), so inference
   * can start as soon as the peer connection is up. Without it the bare SDP is sent.
   */
  readonly session?: JsonObject;
  /** The realtime layer's own headers: sent with the call and kept for the sideband socket. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** A created WebRTC realtime call. */
export interface RealtimeCallStart {
  /** The answer SDP. */
  readonly sdp: string;
  /** The call id (`rtc_…`) from the answer's `Location`, which the sideband WebSocket joins. */
  readonly callId: string;
  /**
   * Headers for the sideband WebSocket of this call: the extra headers, the call's
   * `x-oai-attestation` (when one was sent) and the auth headers. They carry credentials:
   * never log them.
   */
  readonly sidebandHeaders: Readonly<Record<string, string>>;
}

/** Boundary of the multipart body sent to the public API. */
export const REALTIME_MULTIPART_BOUNDARY = "codex-realtime-call-boundary";

/** The body of `POST …/realtime/calls` and its content type. */
export interface RealtimeCallBody {
  readonly contentType: string;
  readonly body: string;
}

/**
 * Upstream's three request shapes: the bare SDP (`application/sdp`) without a session; with one,
 * JSON `{sdp, session}` when the base URL is a ChatGPT `/backend-api` one, else a multipart form
 * with the parts `sdp` and `session`. The session's `id` is never sent.
 *
 * @throws {ModelClientError} `invalid_argument` for an empty SDP or a session that is no object.
 */
export function realtimeCallBody(
  sdp: string,
  session: JsonObject | undefined,
  baseUrl: string,
): RealtimeCallBody {
  if (typeof sdp !== "string" || sdp.trim() === "") {
    throw new ModelClientError("invalid_argument", "the SDP offer must be a non-empty string");
  }
  if (session === undefined) return { contentType: "application/sdp", body: sdp };
  if (!isJsonObject(session)) {
    throw new ModelClientError("invalid_argument", "the realtime session must be a JSON object");
  }
  const { id: _id, ...config } = session;
  if (baseUrl.includes("/backend-api")) {
    return { contentType: "application/json", body: JSON.stringify({ sdp, session: config }) };
  }
  const b = REALTIME_MULTIPART_BOUNDARY;
  const body =
    `--${b}\r\nContent-Disposition: form-data; name="sdp"\r\nContent-Type: application/sdp\r\n\r\n${sdp}\r\n` +
    `--${b}\r\nContent-Disposition: form-data; name="session"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(config)}\r\n` +
    `--${b}--\r\n`;
  return { contentType: `multipart/form-data; boundary=${b}`, body };
}

/**
 * The call id of a `Location` like `/v1/realtime/calls/rtc_abc` (query ignored): the last path
 * segment that starts with `rtc_` and has more after it.
 *
 * @throws {ModelClientError} `stream` when the header is missing or names no call.
 */
export function realtimeCallId(location: string | null): string {
  if (location === null || location === "") {
    throw new ModelClientError("stream", "realtime call response missing Location");
  }
  const path = location.split("?")[0] ?? location;
  const id = path
    .split("/")
    .reverse()
    .find((segment) => segment.startsWith("rtc_") && segment.length > "rtc_".length);
  if (id === undefined) {
    throw new ModelClientError(
      "stream",
      `realtime call Location does not contain a call id: ${location}`,
    );
  }
  return id;
}

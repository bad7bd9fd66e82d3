import type { HttpClient } from "@codex/http";
import { authHeaders } from "../model-auth.js";
import { providerUrl, requestMaxRetries, streamIdleTimeoutMs } from "../model-provider-info.js";
import {
  type RealtimeCallOptions,
  type RealtimeCallStart,
  realtimeCallBody,
  realtimeCallId,
} from "../realtime-call.js";
import { baseHeaders } from "./client-headers.js";
import type { ClientInternals } from "./client-internals.js";
import { statusError } from "./status-error.js";
import { transportError } from "./transport-errors.js";

/**
 * `POST …/realtime/calls`: the SDP offer (with the session configuration when given), attested
 * once under the Responses rule; answered by the SDP answer, the call id in `Location`, and the
 * sideband headers (the extra and auth headers). A 5xx is retried as a Responses send; no 401
 * recovery (as upstream).
 */
export async function createRealtimeCall(
  internals: ClientInternals,
  sdp: string,
  options: RealtimeCallOptions,
): Promise<RealtimeCallStart> {
  const source = internals.headerSource;
  const setup = await internals.setup();
  const request = realtimeCallBody(sdp, options.session, setup.baseUrl);
  const extra = {
    ...options.headers,
    ...(await internals.attestationHeader(setup, options.signal)),
  };
  let read: Awaited<ReturnType<HttpClient["requestText"]>>;
  try {
    read = await internals.http.requestText({
      method: "POST",
      url: providerUrl(source.provider, setup.baseUrl, "realtime/calls"),
      headers: {
        ...baseHeaders(source),
        ...extra,
        ...authHeaders(setup.auth),
        "content-type": request.contentType,
      },
      body: request.body,
      timeoutMs: streamIdleTimeoutMs(source.provider),
      retry: { maxRetries: requestMaxRetries(source.provider) },
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    throw transportError(error);
  }
  if (!read.ok) throw statusError(read.status, read.headers, read.body);
  return {
    sdp: read.body,
    callId: realtimeCallId(read.headers.get("location")),
    sidebandHeaders: { ...extra, ...authHeaders(setup.auth) },
  };
}

import type { JsonObject } from "@codex/wire";
import type { InferenceTraceAttempt } from "../inference-trace.js";
import { type AuthRecovery, authHeaders } from "../model-auth.js";
import {
  isOpenAiProvider,
  type ModelProviderInfo,
  providerUrl,
  requestMaxRetries,
  streamIdleTimeoutMs,
} from "../model-provider-info.js";
import type { ResponseEvent } from "../response-event.js";
import type { TurnOptions } from "../responses-request.js";
import {
  authRequestTelemetry,
  NO_PENDING_RETRY,
  type PendingUnauthorizedRetry,
} from "./auth-telemetry.js";
import type { ClientInternals } from "./client-internals.js";
import { X_CLIENT_REQUEST_ID_HEADER, X_CODEX_TURN_STATE_HEADER } from "./request-headers.js";
import { readSseResponse } from "./sse-response.js";
import { statusError } from "./status-error.js";
import { readErrorBody, transportError } from "./transport-errors.js";
import type { TurnStateCell } from "./turn-state.js";
import { recoverUnauthorized } from "./unauthorized-recovery.js";
import { zstdCompress } from "./zstd-body.js";

/** What an HTTP `/responses` send reaches of its turn session. */
export interface ResponsesHttpContext {
  readonly internals: ClientInternals;
  readonly provider: ModelProviderInfo;
  readonly threadId: string;
  readonly turnState: TurnStateCell;
  /** Logs a feedback tag. */
  tag(name: string, value: string): void;
}

/** One HTTP SSE attempt: the send (with its 401 loop), then the events of the answer. */
export async function* httpAttempt(
  context: ResponsesHttpContext,
  body: JsonObject,
  turn: TurnOptions,
  signal: AbortSignal | undefined,
  trace: InferenceTraceAttempt | undefined,
): AsyncGenerator<ResponseEvent[], void, undefined> {
  trace?.recordStarted(body);
  let response: Response;
  try {
    response = await sendResponses(context, JSON.stringify(body), turn, signal);
  } catch (error) {
    const mapped = transportError(error);
    trace?.recordFailed(mapped.message, mapped.requestId ?? null, []);
    throw mapped;
  }
  const idleMs = streamIdleTimeoutMs(context.provider);
  yield* readSseResponse(
    response,
    { firstEventMs: context.internals.options.firstEventTimeoutMs ?? idleMs, idleMs },
    trace,
    (name, value) => context.tag(name, value),
    signal,
  );
}

/**
 * One `/responses` send with the 401 loop: auth is resolved for every send; a 401 runs the
 * login's next recovery step and sends again while steps remain.
 */
async function sendResponses(
  context: ResponsesHttpContext,
  bodyText: string,
  turn: TurnOptions,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const { internals, provider, turnState } = context;
  let recovery: AuthRecovery | undefined;
  let pending: PendingUnauthorizedRetry = NO_PENDING_RETRY;
  // Compressed once per call, on the first send whose auth asks for it (null: it failed).
  let compressed: Uint8Array | null | undefined;
  for (;;) {
    const setup = await internals.setup();
    internals.logger.debug("model request auth", {
      ...authRequestTelemetry(setup.auth, pending),
    });
    const headers: Record<string, string> = {
      ...internals.commonHeaders(turn.turnMetadata),
      [X_CLIENT_REQUEST_ID_HEADER]: context.threadId,
      accept: "text/event-stream",
      "content-type": "application/json",
      ...authHeaders(setup.auth),
      ...(await internals.attestationHeader(setup, signal)),
    };
    if (turnState.value !== undefined) headers[X_CODEX_TURN_STATE_HEADER] = turnState.value;
    let body: string | Uint8Array = bodyText;
    if (compressRequest(context, setup.auth?.mode)) {
      compressed ??= await compress(context, bodyText);
      if (compressed !== null) {
        body = compressed;
        headers["content-encoding"] = "zstd";
      }
    }
    const response = await internals.http.request({
      method: "POST",
      url: providerUrl(provider, setup.baseUrl, "responses"),
      headers,
      body,
      timeoutMs: internals.options.headersTimeoutMs ?? streamIdleTimeoutMs(provider),
      retry: { maxRetries: requestMaxRetries(provider) },
      ...(signal === undefined ? {} : { signal }),
    });
    turnState.capture(response.headers);
    if (response.ok) return response;
    const text = await readErrorBody(response);
    if (response.status === 401 && setup.auth !== undefined) {
      recovery ??= internals.options.auth?.unauthorizedRecovery?.();
      const next = await recoverUnauthorized(recovery, internals.logger);
      if (next !== undefined) {
        pending = next;
        continue;
      }
    }
    throw statusError(response.status, response.headers, text);
  }
}

/**
 * Upstream's `responses_request_compression`: on (the default) and a ChatGPT-family login and
 * the provider is the built-in OpenAI one.
 */
function compressRequest(
  context: ResponsesHttpContext,
  mode: "chatgpt" | "api_key" | undefined,
): boolean {
  return (
    context.internals.options.requestCompression !== false &&
    mode === "chatgpt" &&
    isOpenAiProvider(context.provider)
  );
}

/** The zstd body, or null (logged) when the compressor cannot load: the body goes as is. */
async function compress(
  context: ResponsesHttpContext,
  bodyText: string,
): Promise<Uint8Array | null> {
  try {
    return await zstdCompress(new TextEncoder().encode(bodyText));
  } catch (cause) {
    context.internals.logger.warn("request compression failed; sending uncompressed", {
      reason: cause instanceof Error ? cause.message : "unknown",
    });
    return null;
  }
}

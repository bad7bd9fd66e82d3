import { type JsonObject, sleep } from "@codex/wire";
import type { InferenceTrace, InferenceTraceAttempt } from "../inference-trace.js";
import type { ModelProviderInfo } from "../model-provider-info.js";
import { streamMaxRetries } from "../model-provider-info.js";
import type { ResponseEvent } from "../response-event.js";
import type { TurnOptions } from "../responses-request.js";
import type { ClientInternals } from "./client-internals.js";
import { type Retries, streamRetries } from "./stream-retries.js";
import { streamRetryable, transportError } from "./transport-errors.js";

/** What the retry loop of a stream call reaches of its turn session. */
export interface StreamLoopHost {
  readonly internals: ClientInternals;
  readonly provider: ModelProviderInfo;
  websocketAttempt(
    body: JsonObject,
    turn: TurnOptions,
    signal: AbortSignal | undefined,
    trace: InferenceTraceAttempt | undefined,
    retries: Retries,
  ): AsyncGenerator<ResponseEvent[], void, undefined>;
  httpAttempt(
    body: JsonObject,
    turn: TurnOptions,
    signal: AbortSignal | undefined,
    trace: InferenceTraceAttempt | undefined,
  ): AsyncGenerator<ResponseEvent[], void, undefined>;
  /** Closes and forgets the session's socket. */
  dropWebsocket(): void;
}

/**
 * The attempts of one stream call: over the WebSocket while enabled, else HTTP SSE; a retryable
 * failure is sent again (announced by `reconnecting`) within the budget, and a spent budget on
 * the WebSocket switches the session to HTTP for good (`transport_fallback`) with a fresh one.
 */
export async function* runStream(
  host: StreamLoopHost,
  body: JsonObject,
  turn: TurnOptions,
  signal: AbortSignal | undefined,
  trace: InferenceTrace | undefined,
): AsyncGenerator<ResponseEvent[], void, undefined> {
  const internals = host.internals;
  const maxAttempts = streamMaxRetries(host.provider);
  const retries = streamRetries(
    maxAttempts,
    internals.options.sleep ?? sleep,
    internals.options.random ?? Math.random,
    signal,
  );
  for (;;) {
    const attempt = trace?.startAttempt();
    try {
      if (internals.websocketsEnabled()) {
        yield* host.websocketAttempt(body, turn, signal, attempt, retries);
      } else {
        yield* host.httpAttempt(body, turn, signal, attempt);
      }
      return;
    } catch (error) {
      const mapped = transportError(error);
      if (!streamRetryable(mapped) || signal?.aborted) throw mapped;
      if (retries.used >= maxAttempts) {
        // Upstream's turn loop, its resends spent on the WebSocket, switches the session to
        // HTTP for good and starts over with a fresh budget; over HTTP the error is final.
        if (!internals.websocketsEnabled()) throw mapped;
        host.dropWebsocket();
        internals.forceHttpFallback();
        retries.used = 0;
        yield [{ type: "transport_fallback", error: mapped }];
        continue;
      }
      retries.used++;
      yield [{ type: "reconnecting", attempt: retries.used, maxAttempts, error: mapped }];
      await retries.pause(mapped);
    }
  }
}

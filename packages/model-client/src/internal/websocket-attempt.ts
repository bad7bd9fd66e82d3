import { isJsonObject, type JsonObject, type JsonValue } from "@codex/wire";
import { type InferenceTraceAttempt, RESPONSE_STREAM_DROPPED_REASON } from "../inference-trace.js";
import { ModelClientError } from "../model-client-error.js";
import { type ModelProviderInfo, streamIdleTimeoutMs } from "../model-provider-info.js";
import { parseRateLimitEvent } from "../rate-limits.js";
import { mapResponsesEvent, type ResponseEvent } from "../response-event.js";
import type { TurnOptions } from "../responses-request.js";
import { turnStateFromMetadataEvent } from "./metadata-turn-state.js";
import { headerEvents } from "./sse-response.js";
import { requestIdOf } from "./status-error.js";
import type { Retries } from "./stream-retries.js";
import { transportError } from "./transport-errors.js";
import type { TurnStateCell } from "./turn-state.js";
import type { WsConnection } from "./websocket-connection.js";
import { errorFrameError, reconnectableFrame } from "./websocket-error-frame.js";
import { incrementalInput, responseCreateMessage } from "./websocket-request.js";

/** What a WebSocket attempt reaches of its turn session. */
export interface WebsocketAttemptHost {
  readonly provider: ModelProviderInfo;
  readonly turnState: TurnStateCell;
  /** The session's socket, else a new handshake; `undefined` after a 426 (HTTP from then on). */
  connect(turn: TurnOptions, signal: AbortSignal | undefined): Promise<WsConnection | undefined>;
  /** The HTTP SSE attempt, for a handshake refused with 426. */
  httpAttempt(
    body: JsonObject,
    turn: TurnOptions,
    signal: AbortSignal | undefined,
    trace: InferenceTraceAttempt | undefined,
  ): AsyncGenerator<ResponseEvent[], void, undefined>;
  /** Closes and forgets the session's socket. */
  dropWebsocket(): void;
  /** Logs a feedback tag. */
  tag(name: string, value: string): void;
  /** The client's `client_metadata` of a `response.create`. */
  wsClientMetadata(turnMetadata: string | undefined): Record<string, string>;
}

/**
 * One request over the Responses WebSocket: `response.create` (only the new input with
 * `previous_response_id` when the socket's last exchange allows it), then its events until
 * `response.completed`. A 429/5xx error frame gets a new socket and the full request again
 * within the stream budget; a prewarm sends `generate: false` and surfaces nothing.
 */
export async function* websocketAttempt(
  host: WebsocketAttemptHost,
  body: JsonObject,
  turn: TurnOptions,
  signal: AbortSignal | undefined,
  trace: InferenceTraceAttempt | undefined,
  retries: Retries,
  prewarm: boolean,
): AsyncGenerator<ResponseEvent[], void, undefined> {
  const idleMs = streamIdleTimeoutMs(host.provider);
  // 429/5xx error frames: a new socket, the full request again, within the stream budget.
  for (let frameRetry = 0; ; frameRetry++) {
    const connection = await host.connect(turn, signal);
    if (connection === undefined) {
      if (prewarm) return;
      yield* host.httpAttempt(body, turn, signal, trace);
      return;
    }
    const reuse = incrementalInput(connection.lastExchange, body);
    connection.lastExchange = undefined;
    // The body's metadata (with the ids 0.169 copies out of the turn metadata), then the
    // WebSocket's own keys, as upstream merges them.
    const clientMetadata: JsonObject = {
      ...(isJsonObject(body.client_metadata) ? body.client_metadata : {}),
      ...host.wsClientMetadata(turn.turnMetadata),
      "x-codex-ws-stream-request-start-ms": String(Date.now()),
    };
    const message = responseCreateMessage(body, {
      input: reuse?.input ?? (body.input as JsonValue[] | undefined) ?? [],
      ...(reuse === undefined ? {} : { previousResponseId: reuse.previousResponseId }),
      ...(prewarm ? { generate: false } : {}),
      clientMetadata,
    });
    if (!prewarm && frameRetry === 0) trace?.recordStarted(message);
    const items: JsonObject[] = [];
    let terminal = false;
    let failure: ModelClientError | undefined;
    let retryFrame = false;
    try {
      try {
        await connection.send(JSON.stringify(message));
      } catch (cause) {
        throw new ModelClientError("stream", "stream disconnected before completion: send failed", {
          cause,
        });
      }
      const head = headerEvents(connection.handshakeHeaders).filter(
        (e) => e.type !== "rate_limits",
      );
      if (head.length > 0) yield head;
      let firstModel = connection.handshakeHeaders.get("openai-model") ?? undefined;
      const requestId: string | null = requestIdOf(connection.handshakeHeaders) ?? null;
      for (;;) {
        const received = await connection.next(idleMs, signal);
        if (received.kind === "aborted") {
          throw new ModelClientError("aborted", "the model stream was cancelled");
        }
        if (received.kind === "idle") {
          throw new ModelClientError("stream", "idle timeout waiting for websocket");
        }
        if (received.kind === "closed") {
          throw new ModelClientError(
            "stream",
            "websocket closed by server before response.completed",
          );
        }
        if (received.kind === "binary") {
          throw new ModelClientError("stream", "unexpected binary websocket event");
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(received.data);
        } catch {
          continue;
        }
        if (!isJsonObject(parsed)) continue;
        const frame = parsed as JsonObject;
        if (frame.type === "error") throw errorFrameError(frame, received.data);
        // A `response.metadata` event may carry the turn state in its `headers`; it then
        // rides on every later handshake or HTTP send of this turn (never the next turn's).
        host.turnState.set(turnStateFromMetadataEvent(frame));
        if (frame.type === "codex.rate_limits") {
          const snapshot = parseRateLimitEvent(frame);
          if (snapshot !== undefined) yield [{ type: "rate_limits", snapshot }];
          continue;
        }
        const response = isJsonObject(frame.response) ? (frame.response as JsonObject) : undefined;
        const headers = isJsonObject(response?.headers)
          ? (response?.headers as JsonObject)
          : undefined;
        const model = headers?.["openai-model"] ?? headers?.["x-openai-model"];
        if (typeof model === "string" && model !== firstModel) {
          firstModel = model;
          yield [{ type: "server_model", model }];
        }
        const mapped = mapResponsesEvent(frame);
        if (mapped.kind === "ignore") continue;
        if (mapped.kind === "failure") throw mapped.error;
        const event = mapped.event;
        if (event.type === "output_item_done") items.push(event.item);
        if (event.type === "completed") {
          terminal = true;
          connection.lastExchange = {
            request: body,
            responseId: event.responseId,
            outputItems: items,
          };
          if (!prewarm) {
            host.tag("last_model_response_id", event.responseId);
            trace?.recordCompleted(event.responseId, requestId, response?.usage ?? null, items);
          }
          yield [event];
          return;
        }
        yield [event];
      }
    } catch (error) {
      failure = transportError(error);
      retryFrame =
        !prewarm &&
        reconnectableFrame(failure) &&
        retries.used < retries.max &&
        signal?.aborted !== true;
      if (!retryFrame) throw failure;
    } finally {
      if (!terminal) {
        // A socket with a response in flight cannot carry the next request.
        host.dropWebsocket();
        if (!prewarm && !retryFrame) {
          if (failure !== undefined && failure.code !== "aborted") {
            trace?.recordFailed(failure.message, failure.requestId ?? null, items);
          } else {
            trace?.recordCancelled(RESPONSE_STREAM_DROPPED_REASON, null, items);
          }
        }
      }
    }
    if (failure !== undefined) {
      retries.used++;
      yield [
        { type: "reconnecting", attempt: retries.used, maxAttempts: retries.max, error: failure },
      ];
      await retries.pause(failure);
    }
  }
}

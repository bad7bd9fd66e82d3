import { backoffDelayMs } from "@codex/http";
import { isJsonObject, type JsonObject, type JsonValue, sleep } from "@codex/wire";
import { type InferenceTraceAttempt, RESPONSE_STREAM_DROPPED_REASON } from "./inference-trace.js";
import {
  authRequestTelemetry,
  NO_PENDING_RETRY,
  type PendingUnauthorizedRetry,
  pendingRetryFromRecovery,
} from "./internal/auth-telemetry.js";
import { type ClientInternals, clientInternals } from "./internal/client-internals.js";
import { flattenBatches } from "./internal/event-batches.js";
import { turnStateFromMetadataEvent } from "./internal/metadata-turn-state.js";
import {
  X_CLIENT_REQUEST_ID_HEADER,
  X_CODEX_TURN_STATE_HEADER,
} from "./internal/request-headers.js";
import { headerEvents, readSseResponse } from "./internal/sse-response.js";
import { requestIdOf, statusError } from "./internal/status-error.js";
import { readErrorBody, streamRetryable, transportError } from "./internal/transport-errors.js";
import { WsConnection, type WsRefusal } from "./internal/websocket-connection.js";
import { incrementalInput, responseCreateMessage } from "./internal/websocket-request.js";
import { zstdCompress } from "./internal/zstd-body.js";
import { type AuthRecovery, authHeaders } from "./model-auth.js";
import type { ModelClient, StreamOptions } from "./model-client.js";
import { ModelClientError } from "./model-client-error.js";
import {
  isAzureResponsesProvider,
  isOpenAiProvider,
  providerUrl,
  requestMaxRetries,
  streamIdleTimeoutMs,
  streamMaxRetries,
  websocketConnectTimeoutMs,
} from "./model-provider-info.js";
import { parseRateLimitEvent } from "./rate-limits.js";
import { mapResponsesEvent, type ResponseEvent } from "./response-event.js";
import { buildResponsesBody, type Prompt, type TurnOptions } from "./responses-request.js";

/** Options of {@link ModelClientSession.prewarm}. */
export interface PrewarmOptions {
  readonly signal?: AbortSignal;
}

/**
 * The one resend budget of a stream call (`streamMaxRetries`), shared by every retryable failure
 * — cut or idle streams, timeouts, connection failures, 5xx and other unexpected statuses once
 * the transport's own retries are spent, WebSocket 429/5xx error frames — as upstream's turn loop
 * counts them.
 */
interface Retries {
  readonly max: number;
  used: number;
  /** Sleeps before resend number `used` (the server's hint, else backoff). */
  pause(error: ModelClientError): Promise<void>;
}

/** A WebSocket error frame: `{"type":"error","status":N,"error":{...},"headers":{...}}`. */
function errorFrameError(frame: JsonObject, raw: string): ModelClientError {
  const status = typeof frame.status === "number" ? frame.status : 0;
  const error = isJsonObject(frame.error) ? frame.error : {};
  if (error.code === "websocket_connection_limit_reached") {
    return new ModelClientError(
      "retryable",
      "Responses websocket connection limit reached (60 minutes); reconnecting.",
      { errorCode: "websocket_connection_limit_reached" },
    );
  }
  const headers = new Headers();
  if (isJsonObject(frame.headers)) {
    for (const [name, value] of Object.entries(frame.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
  }
  if (status === 0) {
    const message = typeof error.message === "string" ? error.message : "websocket error event";
    return new ModelClientError("stream", message);
  }
  return statusError(status, headers, raw);
}

/** WebSocket error frames after which a new socket gets the full request again. */
function reconnectableFrame(error: ModelClientError): boolean {
  return (
    error.status === 429 ||
    (error.status !== undefined && error.status >= 500) ||
    error.errorCode === "websocket_connection_limit_reached"
  );
}

/**
 * A turn-scoped session: holds the sticky `x-codex-turn-state` of the turn (first value the
 * server sends, echoed on every later request of the turn, never carried into the next one) and
 * the WebSocket it took over from the client. Call {@link close} when the turn ends, so the next
 * turn reuses the socket (and `previous_response_id`).
 */
export class ModelClientSession {
  readonly client: ModelClient;
  readonly #internals: ClientInternals;
  #turnState: string | undefined;
  #websocket: WsConnection | undefined;
  #closed = false;

  /** @internal Use {@link ModelClient.newSession}. */
  constructor(client: ModelClient) {
    this.client = client;
    this.#internals = clientInternals(client);
    this.#websocket = this.#internals.takeWebsocket();
  }

  /** The turn state the server assigned, once it did. */
  get turnState(): string | undefined {
    return this.#turnState;
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new ModelClientError(
        "invalid_argument",
        "this turn session is closed; start the next turn with client.newSession()",
      );
    }
  }

  /** Hands the WebSocket back to the client for the next turn. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const connection = this.#websocket;
    this.#websocket = undefined;
    if (connection !== undefined) this.#internals.returnWebsocket(connection);
  }

  /**
   * Acknowledges a completed response on this turn's WebSocket with
   * `{"type":"response.processed","response_id":…}`, as upstream's `send_response_processed`
   * (which its turn loop calls, behind the `responses_websocket_response_processed` feature, off
   * by default, once the response's output is handled). Does nothing when the session holds no
   * open socket (HTTP, after a fallback, closed session). A failed or stalled send (bounded by the
   * provider's idle timeout) is only logged, and the socket is dropped so the next request opens
   * a new one.
   *
   * @throws {ModelClientError} `invalid_argument` for an empty response id.
   */
  async sendResponseProcessed(responseId: string): Promise<void> {
    if (typeof responseId !== "string" || responseId === "") {
      throw new ModelClientError("invalid_argument", "responseId must be a non-empty string");
    }
    const connection = this.#websocket;
    if (this.#closed || connection === undefined || !connection.isOpen) return;
    const frame = JSON.stringify({ type: "response.processed", response_id: responseId });
    const idleMs = streamIdleTimeoutMs(this.client.provider);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        connection.send(frame),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error("idle timeout sending websocket request")),
            idleMs,
          );
        }),
      ]);
    } catch (cause) {
      this.#internals.logger.debug("failed to send response.processed", {
        reason: cause instanceof Error ? cause.message : "send failed",
      });
      if (this.#websocket === connection) this.#dropWebsocket();
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Streams one model response as {@link ResponseEvent}s, over the WebSocket when enabled, else
   * HTTP SSE. Breaking out of the loop or aborting `signal` stops the read at once. A cut or
   * idle stream is sent again (up to the provider's `streamMaxRetries`), announced by a
   * `reconnecting` event.
   *
   * @throws {ModelClientError} `invalid_argument` at once for a bad prompt or turn; other codes
   * from the iteration.
   */
  stream(
    prompt: Prompt,
    turn: TurnOptions,
    options: StreamOptions = {},
  ): AsyncIterable<ResponseEvent> {
    this.#checkOpen();
    const body = buildResponsesBody(prompt, turn, this.#internals.identity(), {
      store: isAzureResponsesProvider(this.client.provider),
    });
    return flattenBatches(this.#run(body, turn, options));
  }

  /**
   * Opens the WebSocket (if needed) and sends the request with `generate: false`, waiting for
   * its completion, so the next turn can send only new input with `previous_response_id`.
   * Upstream prewarms at session start with an empty input and the base instructions. Does
   * nothing when WebSockets are off or the socket already carried a request.
   */
  async prewarm(prompt: Prompt, turn: TurnOptions, options: PrewarmOptions = {}): Promise<void> {
    this.#checkOpen();
    const body = buildResponsesBody(prompt, turn, this.#internals.identity(), {
      store: isAzureResponsesProvider(this.client.provider),
    });
    if (!this.#internals.websocketsEnabled()) return;
    if (this.#websocket?.isOpen && this.#websocket.lastExchange !== undefined) return;
    const retries: Retries = {
      max: 0,
      used: 0,
      pause: async () => {
        throw new ModelClientError("stream", "prewarm is not retried");
      },
    };
    for await (const _event of this.#websocketAttempt(
      body,
      turn,
      options.signal,
      undefined,
      retries,
      true,
    )) {
      // Prewarm events are not surfaced.
    }
  }

  async *#run(
    body: JsonObject,
    turn: TurnOptions,
    options: StreamOptions,
  ): AsyncGenerator<ResponseEvent[], void, undefined> {
    const internals = this.#internals;
    const provider = this.client.provider;
    const maxAttempts = streamMaxRetries(provider);
    const wait = internals.options.sleep ?? sleep;
    const random = internals.options.random ?? Math.random;
    const signal = options.signal;
    const retries: Retries = {
      max: maxAttempts,
      used: 0,
      pause: async (error) => {
        const delay = error.retryAfterMs ?? backoffDelayMs(retries.used, {}, random);
        try {
          await wait(delay, signal);
        } catch (cause) {
          throw new ModelClientError("aborted", "the model request was cancelled", { cause });
        }
      },
    };
    for (;;) {
      const trace = options.trace?.startAttempt();
      try {
        if (internals.websocketsEnabled()) {
          yield* this.#websocketAttempt(body, turn, signal, trace, retries, false);
        } else {
          yield* this.#httpAttempt(body, turn, signal, trace);
        }
        return;
      } catch (error) {
        const mapped = transportError(error);
        if (!streamRetryable(mapped) || signal?.aborted) throw mapped;
        if (retries.used >= maxAttempts) {
          // Upstream's turn loop, its resends spent on the WebSocket, switches the session to
          // HTTP for good and starts over with a fresh budget; over HTTP the error is final.
          if (!internals.websocketsEnabled()) throw mapped;
          this.#dropWebsocket();
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

  async *#httpAttempt(
    body: JsonObject,
    turn: TurnOptions,
    signal: AbortSignal | undefined,
    trace: InferenceTraceAttempt | undefined,
  ): AsyncGenerator<ResponseEvent[], void, undefined> {
    trace?.recordStarted(body);
    let response: Response;
    try {
      response = await this.#send(JSON.stringify(body), turn, signal);
    } catch (error) {
      const mapped = transportError(error);
      trace?.recordFailed(mapped.message, mapped.requestId ?? null, []);
      throw mapped;
    }
    const idleMs = streamIdleTimeoutMs(this.client.provider);
    yield* readSseResponse(
      response,
      { firstEventMs: this.#internals.options.firstEventTimeoutMs ?? idleMs, idleMs },
      trace,
      (name, value) => this.#tag(name, value),
      signal,
    );
  }

  #tag(name: string, value: string): void {
    this.#internals.logger.info("feedback_tags", { [name]: JSON.stringify(value) });
  }

  #captureTurnState(headers: Headers): void {
    this.#setTurnState(headers.get(X_CODEX_TURN_STATE_HEADER) ?? undefined);
  }

  /** The turn's set-once cell: the first non-empty value wins, later ones are ignored. */
  #setTurnState(value: string | undefined): void {
    if (value !== undefined && value !== "" && this.#turnState === undefined) {
      this.#turnState = value;
    }
  }

  /**
   * One `/responses` send with the 401 loop: auth is resolved for every send; a 401 runs the
   * login's next recovery step and sends again while steps remain.
   */
  async #send(
    bodyText: string,
    turn: TurnOptions,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const internals = this.#internals;
    const provider = this.client.provider;
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
        [X_CLIENT_REQUEST_ID_HEADER]: this.client.threadId,
        accept: "text/event-stream",
        "content-type": "application/json",
        ...authHeaders(setup.auth),
        ...(await internals.attestationHeader(setup, signal)),
      };
      if (this.#turnState !== undefined) headers[X_CODEX_TURN_STATE_HEADER] = this.#turnState;
      let body: string | Uint8Array = bodyText;
      if (this.#compressRequest(setup.auth?.mode)) {
        compressed ??= await this.#compress(bodyText);
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
      this.#captureTurnState(response.headers);
      if (response.ok) return response;
      const text = await readErrorBody(response);
      if (response.status === 401 && setup.auth !== undefined) {
        recovery ??= internals.options.auth?.unauthorizedRecovery?.();
        const next = await this.#recover(recovery);
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
  #compressRequest(mode: "chatgpt" | "api_key" | undefined): boolean {
    return (
      this.#internals.options.requestCompression !== false &&
      mode === "chatgpt" &&
      isOpenAiProvider(this.client.provider)
    );
  }

  /** The zstd body, or null (logged) when the compressor cannot load: the body goes as is. */
  async #compress(bodyText: string): Promise<Uint8Array | null> {
    try {
      return await zstdCompress(new TextEncoder().encode(bodyText));
    } catch (cause) {
      this.#internals.logger.warn("request compression failed; sending uncompressed", {
        reason: cause instanceof Error ? cause.message : "unknown",
      });
      return null;
    }
  }

  /** Runs the next recovery step; what ran when the request should be sent again. */
  async #recover(
    recovery: AuthRecovery | undefined,
  ): Promise<PendingUnauthorizedRetry | undefined> {
    if (recovery === undefined || !recovery.hasNext()) return undefined;
    const logger = this.#internals.logger;
    const phase = recovery.stepName();
    try {
      await recovery.next();
    } catch (cause) {
      logger.warn("unauthorized recovery failed", { mode: recovery.mode, phase });
      throw new ModelClientError(
        "refresh_token_failed",
        "Your access token could not be refreshed. Please sign in again.",
        { status: 401, cause },
      );
    }
    logger.debug("retrying after unauthorized recovery", { mode: recovery.mode, phase });
    return pendingRetryFromRecovery(recovery.mode, phase);
  }

  /**
   * The socket for the next request: the one this session holds, else a new handshake (401
   * loop; one attestation per handshake). `undefined` means the server refused WebSockets (426)
   * and the session fell back to HTTP.
   */
  async #connect(
    turn: TurnOptions,
    signal: AbortSignal | undefined,
  ): Promise<WsConnection | undefined> {
    if (this.#websocket?.isOpen) return this.#websocket;
    this.#websocket = undefined;
    const internals = this.#internals;
    const provider = this.client.provider;
    let recovery: AuthRecovery | undefined;
    let pending: PendingUnauthorizedRetry = NO_PENDING_RETRY;
    for (;;) {
      const setup = await internals.setup();
      internals.logger.debug("model request auth", {
        ...authRequestTelemetry(setup.auth, pending),
      });
      const headers = await internals.websocketHeaders(
        setup,
        this.#turnState,
        turn.turnMetadata,
        signal,
      );
      const url = providerUrl(provider, setup.baseUrl, "responses").replace(/^http/, "ws");
      const result = await WsConnection.connect(
        url,
        headers,
        websocketConnectTimeoutMs(provider),
        signal,
        internals.websocketOptions(url),
      );
      if (result instanceof WsConnection) {
        this.#captureTurnState(result.handshakeHeaders);
        this.#websocket = result;
        return result;
      }
      if (result.kind === "failed") {
        if (signal?.aborted) {
          throw new ModelClientError("aborted", "the model request was cancelled", {
            cause: result.cause,
          });
        }
        if (result.timedOut) {
          throw new ModelClientError("timeout", "timed out opening the model WebSocket", {
            cause: result.cause,
          });
        }
        throw new ModelClientError(
          "connection_failed",
          `stream disconnected before completion: ${result.cause instanceof Error ? result.cause.message : "connection failed"}`,
          { cause: result.cause },
        );
      }
      const refusal: WsRefusal = result;
      if (refusal.status === 426) {
        internals.forceHttpFallback();
        return undefined;
      }
      if (refusal.status === 401 && setup.auth !== undefined) {
        recovery ??= internals.options.auth?.unauthorizedRecovery?.();
        const next = await this.#recover(recovery);
        if (next !== undefined) {
          pending = next;
          continue;
        }
      }
      throw statusError(refusal.status, refusal.headers, refusal.body);
    }
  }

  #dropWebsocket(): void {
    this.#websocket?.close();
    this.#websocket = undefined;
  }

  async *#websocketAttempt(
    body: JsonObject,
    turn: TurnOptions,
    signal: AbortSignal | undefined,
    trace: InferenceTraceAttempt | undefined,
    retries: Retries,
    prewarm: boolean,
  ): AsyncGenerator<ResponseEvent[], void, undefined> {
    const provider = this.client.provider;
    const idleMs = streamIdleTimeoutMs(provider);
    // 429/5xx error frames: a new socket, the full request again, within the stream budget.
    for (let frameRetry = 0; ; frameRetry++) {
      const connection = await this.#connect(turn, signal);
      if (connection === undefined) {
        if (prewarm) return;
        yield* this.#httpAttempt(body, turn, signal, trace);
        return;
      }
      const reuse = incrementalInput(connection.lastExchange, body);
      connection.lastExchange = undefined;
      // The body's metadata (with the ids 0.169 copies out of the turn metadata), then the
      // WebSocket's own keys, as upstream merges them.
      const clientMetadata: JsonObject = {
        ...(isJsonObject(body.client_metadata) ? body.client_metadata : {}),
        ...this.client.buildWsClientMetadata(turn.turnMetadata),
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
          throw new ModelClientError(
            "stream",
            "stream disconnected before completion: send failed",
            { cause },
          );
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
          this.#setTurnState(turnStateFromMetadataEvent(frame));
          if (frame.type === "codex.rate_limits") {
            const snapshot = parseRateLimitEvent(frame);
            if (snapshot !== undefined) yield [{ type: "rate_limits", snapshot }];
            continue;
          }
          const response = isJsonObject(frame.response)
            ? (frame.response as JsonObject)
            : undefined;
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
              this.#tag("last_model_response_id", event.responseId);
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
          this.#dropWebsocket();
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
}

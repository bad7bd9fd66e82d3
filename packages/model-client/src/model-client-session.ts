import { type ClientInternals, clientInternals } from "./internal/client-internals.js";
import { flattenBatches } from "./internal/event-batches.js";
import { httpAttempt, type ResponsesHttpContext } from "./internal/responses-http.js";
import { noRetries } from "./internal/stream-retries.js";
import { runStream, type StreamLoopHost } from "./internal/stream-retry-loop.js";
import { TurnStateCell } from "./internal/turn-state.js";
import { type WebsocketAttemptHost, websocketAttempt } from "./internal/websocket-attempt.js";
import type { WsConnection } from "./internal/websocket-connection.js";
import { openResponsesWebsocket } from "./internal/websocket-handshake.js";
import type { ModelClient } from "./model-client.js";
import { ModelClientError } from "./model-client-error.js";
import type { StreamOptions } from "./model-client-options.js";
import { isAzureResponsesProvider, streamIdleTimeoutMs } from "./model-provider-info.js";
import type { ResponseEvent } from "./response-event.js";
import { buildResponsesBody, type Prompt, type TurnOptions } from "./responses-request.js";

/** Options of {@link ModelClientSession.prewarm}. */
export interface PrewarmOptions {
  readonly signal?: AbortSignal;
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
  readonly #turnState = new TurnStateCell();
  readonly #host: StreamLoopHost & WebsocketAttemptHost & ResponsesHttpContext;
  #websocket: WsConnection | undefined;
  #closed = false;

  /** @internal Use {@link ModelClient.newSession}. */
  constructor(client: ModelClient) {
    this.client = client;
    this.#internals = clientInternals(client);
    this.#websocket = this.#internals.takeWebsocket();
    this.#host = {
      internals: this.#internals,
      provider: client.provider,
      threadId: client.threadId,
      turnState: this.#turnState,
      connect: (turn, signal) => this.#connect(turn, signal),
      httpAttempt: (body, turn, signal, trace) =>
        httpAttempt(this.#host, body, turn, signal, trace),
      websocketAttempt: (body, turn, signal, trace, retries) =>
        websocketAttempt(this.#host, body, turn, signal, trace, retries, false),
      dropWebsocket: () => this.#dropWebsocket(),
      tag: (name, value) =>
        this.#internals.logger.info("feedback_tags", { [name]: JSON.stringify(value) }),
      wsClientMetadata: (turnMetadata) => client.buildWsClientMetadata(turnMetadata),
    };
  }

  /** The turn state the server assigned, once it did. */
  get turnState(): string | undefined {
    return this.#turnState.value;
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
    return flattenBatches(runStream(this.#host, body, turn, options.signal, options.trace));
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
    for await (const _event of websocketAttempt(
      this.#host,
      body,
      turn,
      options.signal,
      undefined,
      noRetries(),
      true,
    )) {
      // Prewarm events are not surfaced.
    }
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
    const connection = await openResponsesWebsocket(
      this.#internals,
      this.client.provider,
      this.#turnState,
      turn,
      signal,
    );
    if (connection !== undefined) this.#websocket = connection;
    return connection;
  }

  #dropWebsocket(): void {
    this.#websocket?.close();
    this.#websocket = undefined;
  }
}

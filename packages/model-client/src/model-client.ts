import type { createDispatcher } from "@codex/http";
import type { JsonObject, Logger } from "@codex/wire";
import { silentLogger } from "@codex/wire";
import {
  commonHeaders,
  type HeaderSource,
  websocketClientMetadata,
  websocketHeaders,
} from "./internal/client-headers.js";
import { type ClientInternals, registerClientInternals } from "./internal/client-internals.js";
import { compactConversation } from "./internal/compaction-request.js";
import { defaultHttp } from "./internal/default-http.js";
import { summarizeMemories } from "./internal/memory-summaries.js";
import { createRealtimeCall } from "./internal/realtime-call-request.js";
import { buildUserAgent, resolveOriginator } from "./internal/request-headers.js";
import { resolveSendSetup, type SendSetup, sendAttestationHeader } from "./internal/send-setup.js";
import { WebsocketCache } from "./internal/websocket-cache.js";
import { WebsocketDialOptions } from "./internal/websocket-dial-options.js";
import { ModelClientError } from "./model-client-error.js";
import type {
  CompactOptions,
  MemorySummary,
  ModelClientOptions,
  RawMemory,
} from "./model-client-options.js";
import { ModelClientSession } from "./model-client-session.js";
import { type ModelProviderInfo, validateModelProviderInfo } from "./model-provider-info.js";
import type { RealtimeCallOptions, RealtimeCallStart } from "./realtime-call.js";
import type { Prompt, TurnOptions } from "./responses-request.js";
import { type SessionSource, subagentHeaders } from "./session-source.js";

/**
 * The session-scoped model client: provider, ids, login, attestation and the HTTP layer.
 * Create one per session and a {@link ModelClientSession} per turn.
 *
 * @example
 * ```ts
 * const client = new ModelClient({ provider: createOpenAiProvider(), sessionId, threadId, installationId, auth });
 * const session = client.newSession();
 * for await (const event of session.stream({ input }, { model: "gpt-5" }, { signal })) {
 *   if (event.type === "output_text_delta") process.stdout.write(event.delta);
 * }
 * session.close();
 * ```
 */
export class ModelClient {
  readonly provider: ModelProviderInfo;
  readonly sessionId: string;
  readonly threadId: string;
  readonly installationId: string;
  readonly sessionSource: SessionSource;
  readonly #options: ModelClientOptions;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #headerSource: HeaderSource;
  readonly #internals: ClientInternals;
  readonly #websockets: WebsocketCache;
  readonly #dialOptions: WebsocketDialOptions;
  #windowGeneration = 0;
  #ownDispatcher: ReturnType<typeof createDispatcher> | undefined;

  /** @throws {ModelClientError} `invalid_argument` for a bad provider or empty id. */
  constructor(options: ModelClientOptions) {
    if (options === null || typeof options !== "object") {
      throw new ModelClientError("invalid_argument", "ModelClient options must be an object");
    }
    this.provider = validateModelProviderInfo(options.provider);
    for (const key of ["sessionId", "threadId", "installationId"] as const) {
      if (typeof options[key] !== "string" || options[key].trim() === "") {
        throw new ModelClientError("invalid_argument", `${key} must be a non-empty string`);
      }
    }
    const budget = options.attestationBudgetMs;
    if (budget !== undefined && (!Number.isFinite(budget) || budget <= 0)) {
      throw new ModelClientError("invalid_argument", "attestationBudgetMs must be positive");
    }
    this.sessionId = options.sessionId;
    this.threadId = options.threadId;
    this.installationId = options.installationId;
    this.sessionSource = options.sessionSource ?? { kind: "cli" };
    this.#options = options;
    this.#env = options.env ?? process.env;
    const logger: Logger = options.logger ?? silentLogger;
    let http = options.http;
    if (http === undefined) {
      const made = defaultHttp(options.fetch, options.env, logger);
      http = made.http;
      this.#ownDispatcher = made.dispatcher;
    }
    const originator = options.originator ?? resolveOriginator(this.#env);
    this.#headerSource = {
      provider: this.provider,
      env: this.#env,
      originator,
      userAgent:
        options.userAgent ??
        buildUserAgent({
          originator,
          version: options.clientVersion ?? "0.0.0",
          terminal: this.#env.TERM_PROGRAM ?? "unknown",
        }),
      sessionId: this.sessionId,
      threadId: this.threadId,
      installationId: this.installationId,
      sessionSource: this.sessionSource,
      // Read at every request, as the options object was before the split.
      get betaFeatures() {
        return options.betaFeatures;
      },
      get includeTimingMetrics() {
        return options.includeTimingMetrics === true;
      },
      windowId: () => this.windowId(),
    };
    this.#websockets = new WebsocketCache(logger);
    this.#dialOptions = new WebsocketDialOptions(this.#env);
    this.#internals = {
      options,
      http,
      logger,
      headerSource: this.#headerSource,
      setup: () => this.#setup(),
      attestationHeader: (setup, signal) => this.#attestationHeader(setup, signal),
      commonHeaders: (turnMetadata) => commonHeaders(this.#headerSource, turnMetadata),
      websocketHeaders: (setup, turnState, turnMetadata, signal) =>
        this.#websocketHeaders(setup, turnState, turnMetadata, signal),
      identity: () => ({
        threadId: this.threadId,
        installationId: this.installationId,
        windowId: this.windowId(),
      }),
      websocketsEnabled: () => this.websocketsEnabled,
      websocketOptions: (url) => this.#dialOptions.forUrl(url),
      forceHttpFallback: () => this.#websockets.forceHttpFallback(),
      takeWebsocket: () => this.#websockets.take(),
      returnWebsocket: (connection) => this.#websockets.give(connection),
    };
    registerClientInternals(this, this.#internals);
  }

  /** True while turns use the WebSocket (provider supports it, enabled, no fallback yet). */
  get websocketsEnabled(): boolean {
    return (
      this.provider.supportsWebsockets === true &&
      this.#options.websockets !== false &&
      !this.#websockets.disabled
    );
  }

  /** `<thread id>:<window generation>`. */
  windowId(): string {
    return `${this.threadId}:${this.#windowGeneration}`;
  }

  /** Starts a new context window (history rewritten, e.g. after compaction); drops the cached socket. */
  advanceWindowGeneration(): void {
    this.#windowGeneration++;
    this.#websockets.reset();
  }

  /** Sets the window generation (resuming a thread); drops the cached socket. */
  setWindowGeneration(generation: number): void {
    if (!Number.isInteger(generation) || generation < 0) {
      throw new ModelClientError(
        "invalid_argument",
        "window generation must be a non-negative integer",
      );
    }
    this.#windowGeneration = generation;
    this.#websockets.reset();
  }

  /** `x-openai-subagent` and friends for this session's source. */
  buildSubagentHeaders(): Record<string, string> {
    return subagentHeaders(this.sessionSource);
  }

  /**
   * The `client_metadata` of a WebSocket `response.create`: installation id, window id, the
   * sub-agent keys and the turn metadata.
   */
  buildWsClientMetadata(turnMetadata?: string): Record<string, string> {
    return websocketClientMetadata(this.#headerSource, turnMetadata);
  }

  /**
   * The headers of a WebSocket handshake (provider, Codex, auth, attestation — one provider call
   * per handshake — and `openai-beta`), without opening anything.
   */
  async buildWebsocketHeaders(
    turnState?: string,
    turnMetadata?: string,
    signal?: AbortSignal,
  ): Promise<Record<string, string>> {
    const setup = await this.#setup();
    return this.#websocketHeaders(setup, turnState, turnMetadata, signal);
  }

  #websocketHeaders(
    setup: SendSetup,
    turnState: string | undefined,
    turnMetadata: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, string>> {
    return websocketHeaders(this.#headerSource, setup, turnState, turnMetadata, () =>
      this.#attestationHeader(setup, signal),
    );
  }

  /** A turn-scoped session (no I/O); it takes over the cached WebSocket, if any. */
  newSession(): ModelClientSession {
    return new ModelClientSession(this);
  }

  /**
   * Closes the cached WebSocket (sessions still open keep theirs until `close()`) and the
   * client's own HTTP dispatcher, if it made one for a custom `env`.
   */
  close(): void {
    this.#websockets.reset();
    this.#dialOptions.close();
    const dispatcher = this.#ownDispatcher;
    this.#ownDispatcher = undefined;
    // Not awaited: pooled idle sockets are released in the background.
    void dispatcher?.close().catch(() => {});
  }

  #setup(): Promise<SendSetup> {
    return resolveSendSetup(this.provider, this.#options, this.#env);
  }

  #attestationHeader(
    setup: SendSetup,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, string>> {
    return sendAttestationHeader(this.#options, this.threadId, setup, signal);
  }

  /**
   * Compacts the conversation through `POST …/responses/compact` and returns the new history.
   * Empty input returns `[]` without any network call. No 401 recovery (as upstream).
   *
   * @throws {ModelClientError} mapped from the HTTP answer or transport failure.
   */
  compact(prompt: Prompt, turn: TurnOptions, options: CompactOptions = {}): Promise<JsonObject[]> {
    return compactConversation(this.#internals, prompt, turn, options);
  }

  /**
   * Creates a WebRTC realtime call through `POST …/realtime/calls` (upstream's
   * `create_realtime_call_with_headers`): the SDP offer, with the session configuration when
   * given (JSON to the ChatGPT backend, multipart to the API), answered by the SDP answer and the
   * call id in `Location`. The call is attested once (`x-oai-attestation`) under the same rule as
   * Responses — ChatGPT-family auth to the ChatGPT Codex backend only — and that header is kept,
   * with the auth headers, in the returned sideband headers. A 5xx is retried as a Responses
   * send; no 401 recovery (as upstream).
   *
   * @throws {ModelClientError} `invalid_argument` for a bad offer or session; the mapped HTTP or
   * transport error; `stream` when the answer names no call.
   */
  createRealtimeCall(sdp: string, options: RealtimeCallOptions = {}): Promise<RealtimeCallStart> {
    return createRealtimeCall(this.#internals, sdp, options);
  }

  /**
   * Summarises memory traces through `POST …/memories/trace_summarize`. An empty list returns
   * `[]` without resolving auth or touching the network. Never attested.
   */
  summarizeMemories(
    memories: readonly RawMemory[],
    model: string,
    options: { readonly effort?: string; readonly signal?: AbortSignal } = {},
  ): Promise<MemorySummary[]> {
    return summarizeMemories(this.#internals, memories, model, options);
  }
}

import {
  backoffDelayMs,
  createHttpClient,
  type FetchFunction,
  type HttpClient,
  HttpError,
} from "@codex/http";
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type Logger,
  silentLogger,
} from "@codex/wire";
import {
  type AttestationProvider,
  DEFAULT_ATTESTATION_BUDGET_MS,
  generateAttestationHeader,
  isChatgptCodexBackend,
  X_OAI_ATTESTATION_HEADER,
} from "./attestation.js";
import {
  type InferenceTrace,
  type InferenceTraceAttempt,
  RESPONSE_STREAM_DROPPED_REASON,
} from "./inference-trace.js";
import {
  authRequestTelemetry,
  NO_PENDING_RETRY,
  type PendingUnauthorizedRetry,
  pendingRetryFromRecovery,
} from "./internal/auth-telemetry.js";
import { flattenBatches } from "./internal/event-batches.js";
import { headerEvents, readSseResponse } from "./internal/sse-response.js";
import { requestIdOf, statusError } from "./internal/status-error.js";
import { WsConnection, type WsRefusal } from "./internal/websocket-connection.js";
import { incrementalInput, responseCreateMessage } from "./internal/websocket-request.js";
import {
  type AuthRecovery,
  authHeaders,
  type ModelAuth,
  type RequestAuth,
  resolveRequestAuth,
} from "./model-auth.js";
import { ModelClientError } from "./model-client-error.js";
import {
  DEFAULT_CHATGPT_BASE_URL,
  isAzureResponsesProvider,
  type ModelProviderInfo,
  providerHeaders,
  providerUrl,
  requestMaxRetries,
  resolveProviderBaseUrl,
  streamIdleTimeoutMs,
  streamMaxRetries,
  validateModelProviderInfo,
  websocketConnectTimeoutMs,
} from "./model-provider-info.js";
import { parseRateLimitEvent } from "./rate-limits.js";
import {
  asciiHeaderValue,
  buildUserAgent,
  RESPONSES_WEBSOCKETS_BETA,
  resolveOriginator,
  X_CLIENT_REQUEST_ID_HEADER,
  X_CODEX_BETA_FEATURES_HEADER,
  X_CODEX_INSTALLATION_ID_HEADER,
  X_CODEX_TURN_METADATA_HEADER,
  X_CODEX_TURN_STATE_HEADER,
  X_CODEX_WINDOW_ID_HEADER,
} from "./request-headers.js";
import { mapResponsesEvent, type ResponseEvent } from "./response-event.js";
import {
  buildResponsesBody,
  type Prompt,
  type RequestIdentity,
  type TurnOptions,
} from "./responses-request.js";
import { type SessionSource, subagentHeaders } from "./session-source.js";

/** Options of {@link ModelClient}; ids and the provider are required, the rest has defaults. */
export interface ModelClientOptions {
  readonly provider: ModelProviderInfo;
  /** `session-id`. */
  readonly sessionId: string;
  /** `thread-id`, `x-client-request-id`, `prompt_cache_key`, window id prefix. */
  readonly threadId: string;
  /** `x-codex-installation-id` (a UUID). */
  readonly installationId: string;
  /** The login (Bearer or AgentAssertion, 401 recovery). */
  readonly auth?: ModelAuth;
  /** Default `{ kind: "cli" }`. */
  readonly sessionSource?: SessionSource;
  /** Enabled beta features (`x-codex-beta-features`, omitted when empty). */
  readonly betaFeatures?: readonly string[];
  /** Host attestation, for ChatGPT-family auth to the ChatGPT Codex backend only. */
  readonly attestationProvider?: AttestationProvider;
  /** Budget of one attestation call in ms (default 1000). */
  readonly attestationBudgetMs?: number;
  /** Configured `chatgpt_base_url` (default `https://chatgpt.com/backend-api`). */
  readonly chatgptBaseUrl?: string;
  /** Product version in the user agent (default `0.0.0`). */
  readonly clientVersion?: string;
  /** `originator` (default: `CODEX_INTERNAL_ORIGINATOR_OVERRIDE`, else `codex_cli_rs`). */
  readonly originator?: string;
  /** Full `User-Agent` (default built from originator, version, OS and terminal). */
  readonly userAgent?: string;
  /** Environment (default `process.env`): provider keys and headers, originator override. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The HTTP client (default one over `fetch`). */
  readonly http?: HttpClient;
  /** `fetch` for the default HTTP client (msw and tests). */
  readonly fetch?: FetchFunction;
  /** Redacting logger (default silent); feedback tags go here at info level. */
  readonly logger?: Logger;
  /** Deadline for the response headers in ms (default: the provider's idle timeout). */
  readonly headersTimeoutMs?: number;
  /** Deadline from headers to the first event in ms (default: the provider's idle timeout). */
  readonly firstEventTimeoutMs?: number;
  /**
   * Use the Responses WebSocket when the provider supports it (default true, as upstream); a
   * handshake answered 426 switches the session to HTTP for good.
   */
  readonly websockets?: boolean;
  /** Send `x-responsesapi-include-timing-metrics: true` on WebSocket handshakes. */
  readonly includeTimingMetrics?: boolean;
  /** Sleep between stream reconnects (tests). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Randomness of backoff jitter (tests). */
  readonly random?: () => number;
}

/** Per-call options of a stream. */
export interface StreamOptions {
  /** Cancels the call; the stream then ends with `aborted`. */
  readonly signal?: AbortSignal;
  /** Inference trace: one attempt per request sent. */
  readonly trace?: InferenceTrace;
}

/** Per-call options of compaction. */
export interface CompactOptions {
  readonly signal?: AbortSignal;
}

/** A memory trace to summarise. */
export interface RawMemory {
  readonly id: string;
  readonly sourcePath: string;
  readonly items: readonly JsonObject[];
}

/** One summarised memory. */
export interface MemorySummary {
  readonly traceSummary: string;
  readonly memorySummary: string;
}

async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

async function readErrorBody(response: Response): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
      if (total >= MAX_ERROR_BODY_BYTES) break;
    }
  } catch {
    // A body cut while reading an error: what arrived is enough.
  } finally {
    void reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(Buffer.concat(chunks)).slice(0, MAX_ERROR_BODY_BYTES);
}

function transportError(error: unknown): ModelClientError {
  if (ModelClientError.is(error)) return error;
  if (HttpError.is(error)) {
    switch (error.code) {
      case "timeout":
        return new ModelClientError("timeout", "timed out waiting for the model response", {
          cause: error,
        });
      case "aborted":
        return new ModelClientError("aborted", "the model request was cancelled", { cause: error });
      case "invalid_request":
        return new ModelClientError("invalid_argument", error.message, { cause: error });
      default:
        return new ModelClientError(
          "connection_failed",
          `stream disconnected before completion: ${error.message}`,
          { cause: error },
        );
    }
  }
  return new ModelClientError("connection_failed", "the model request failed", { cause: error });
}

/** Errors a stream call retries itself (within `streamMaxRetries`), announcing `reconnecting`. */
function streamRetryable(error: ModelClientError): boolean {
  return (
    error.code === "stream" ||
    error.code === "retryable" ||
    error.code === "timeout" ||
    error.code === "connection_failed"
  );
}

/** What a send needs resolved: auth, base URL, whether attestation applies. */
interface SendSetup {
  readonly auth: RequestAuth | undefined;
  readonly baseUrl: string;
  readonly attest: boolean;
}

/** What a session reaches of its client (module-private). */
interface ClientInternals {
  readonly options: ModelClientOptions;
  readonly http: HttpClient;
  readonly logger: Logger;
  setup(): Promise<SendSetup>;
  attestationHeader(
    setup: SendSetup,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, string>>;
  commonHeaders(turnMetadata: string | undefined): Record<string, string>;
  websocketHeaders(
    setup: SendSetup,
    turnState: string | undefined,
    turnMetadata: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, string>>;
  identity(): RequestIdentity;
  websocketsEnabled(): boolean;
  forceHttpFallback(): void;
  takeWebsocket(): WsConnection | undefined;
  returnWebsocket(connection: WsConnection): void;
}

let internalsOf: (client: ModelClient) => ClientInternals;

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
  readonly #http: HttpClient;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #logger: Logger;
  readonly #originator: string;
  readonly #userAgent: string;
  readonly #internals: ClientInternals;
  #windowGeneration = 0;
  #disableWebsockets = false;
  #cachedWebsocket: WsConnection | undefined;

  static {
    internalsOf = (client) => client.#internals;
  }

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
    this.#logger = options.logger ?? silentLogger;
    this.#http =
      options.http ??
      createHttpClient({
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        logger: this.#logger,
      });
    this.#originator = options.originator ?? resolveOriginator(this.#env);
    this.#userAgent =
      options.userAgent ??
      buildUserAgent({
        originator: this.#originator,
        version: options.clientVersion ?? "0.0.0",
        terminal: this.#env.TERM_PROGRAM ?? "unknown",
      });
    this.#internals = {
      options,
      http: this.#http,
      logger: this.#logger,
      setup: () => this.#setup(),
      attestationHeader: (setup, signal) => this.#attestationHeader(setup, signal),
      commonHeaders: (turnMetadata) => this.#commonHeaders(turnMetadata),
      websocketHeaders: (setup, turnState, turnMetadata, signal) =>
        this.#websocketHeaders(setup, turnState, turnMetadata, signal),
      identity: () => ({
        threadId: this.threadId,
        installationId: this.installationId,
        windowId: this.windowId(),
      }),
      websocketsEnabled: () => this.websocketsEnabled,
      forceHttpFallback: () => {
        if (this.#disableWebsockets) return;
        this.#disableWebsockets = true;
        this.#logger.warn("falling back to HTTP", { from_wire_api: "responses_websocket" });
        this.#resetWebsocket();
      },
      takeWebsocket: () => {
        const connection = this.#cachedWebsocket;
        this.#cachedWebsocket = undefined;
        return connection?.isOpen ? connection : undefined;
      },
      returnWebsocket: (connection) => {
        if (!connection.isOpen || this.#disableWebsockets) return connection.close();
        if (this.#cachedWebsocket !== undefined && this.#cachedWebsocket !== connection) {
          this.#cachedWebsocket.close();
        }
        this.#cachedWebsocket = connection;
      },
    };
  }

  /** True while turns use the WebSocket (provider supports it, enabled, no fallback yet). */
  get websocketsEnabled(): boolean {
    return (
      this.provider.supportsWebsockets === true &&
      this.#options.websockets !== false &&
      !this.#disableWebsockets
    );
  }

  /** `<thread id>:<window generation>`. */
  windowId(): string {
    return `${this.threadId}:${this.#windowGeneration}`;
  }

  /** Starts a new context window (history rewritten, e.g. after compaction); drops the cached socket. */
  advanceWindowGeneration(): void {
    this.#windowGeneration++;
    this.#resetWebsocket();
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
    this.#resetWebsocket();
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
    const metadata: Record<string, string> = {
      [X_CODEX_INSTALLATION_ID_HEADER]: this.installationId,
      [X_CODEX_WINDOW_ID_HEADER]: this.windowId(),
      ...subagentHeaders(this.sessionSource),
    };
    delete metadata["x-openai-memgen-request"];
    if (turnMetadata !== undefined) metadata[X_CODEX_TURN_METADATA_HEADER] = turnMetadata;
    return metadata;
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

  async #websocketHeaders(
    setup: SendSetup,
    turnState: string | undefined,
    turnMetadata: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      ...this.#commonHeaders(turnMetadata),
      [X_CLIENT_REQUEST_ID_HEADER]: this.threadId,
      "openai-beta": RESPONSES_WEBSOCKETS_BETA,
      ...authHeaders(setup.auth),
      ...(await this.#attestationHeader(setup, signal)),
    };
    if (this.#options.includeTimingMetrics === true) {
      headers["x-responsesapi-include-timing-metrics"] = "true";
    }
    if (turnState !== undefined) headers[X_CODEX_TURN_STATE_HEADER] = turnState;
    return headers;
  }

  /** A turn-scoped session (no I/O); it takes over the cached WebSocket, if any. */
  newSession(): ModelClientSession {
    return new ModelClientSession(this);
  }

  /** Closes the cached WebSocket (sessions still open keep theirs until `close()`). */
  close(): void {
    this.#resetWebsocket();
  }

  #resetWebsocket(): void {
    this.#cachedWebsocket?.close();
    this.#cachedWebsocket = undefined;
  }

  async #setup(): Promise<SendSetup> {
    const auth = await resolveRequestAuth(this.provider, this.#options.auth, this.#env);
    const baseUrl = resolveProviderBaseUrl(this.provider, auth?.mode ?? "none");
    const attest =
      this.#options.attestationProvider !== undefined &&
      auth?.mode === "chatgpt" &&
      this.#options.auth !== undefined &&
      this.provider.envKey === undefined &&
      this.provider.experimentalBearerToken === undefined &&
      isChatgptCodexBackend(baseUrl, this.#options.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL);
    return { auth, baseUrl, attest };
  }

  async #attestationHeader(
    setup: SendSetup,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, string>> {
    const provider = this.#options.attestationProvider;
    if (!setup.attest || provider === undefined) return {};
    const value = await generateAttestationHeader(
      provider,
      this.threadId,
      this.#options.attestationBudgetMs ?? DEFAULT_ATTESTATION_BUDGET_MS,
      signal,
    );
    return value === undefined ? {} : { [X_OAI_ATTESTATION_HEADER]: value };
  }

  #commonHeaders(turnMetadata: string | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      ...providerHeaders(this.provider, this.#env),
      originator: this.#originator,
      "user-agent": this.#userAgent,
      "session-id": this.sessionId,
      "thread-id": this.threadId,
      [X_CODEX_WINDOW_ID_HEADER]: this.windowId(),
      ...subagentHeaders(this.sessionSource),
    };
    const beta = (this.#options.betaFeatures ?? []).filter((f) => f !== "").join(",");
    if (beta !== "") headers[X_CODEX_BETA_FEATURES_HEADER] = beta;
    if (turnMetadata !== undefined) {
      const value = asciiHeaderValue(turnMetadata);
      if (value !== undefined) headers[X_CODEX_TURN_METADATA_HEADER] = value;
    }
    return headers;
  }

  /**
   * Compacts the conversation through `POST …/responses/compact` and returns the new history.
   * Empty input returns `[]` without any network call. No 401 recovery (as upstream).
   *
   * @throws {ModelClientError} mapped from the HTTP answer or transport failure.
   */
  async compact(
    prompt: Prompt,
    turn: TurnOptions,
    options: CompactOptions = {},
  ): Promise<JsonObject[]> {
    if (
      prompt !== null &&
      typeof prompt === "object" &&
      Array.isArray(prompt.input) &&
      prompt.input.length === 0
    ) {
      return [];
    }
    const full = buildResponsesBody(prompt, turn, this.#internals.identity());
    const body: JsonObject = { model: full.model as string, input: full.input as JsonObject[] };
    if (full.instructions !== undefined) body.instructions = full.instructions;
    body.tools = full.tools as JsonObject[];
    body.parallel_tool_calls = full.parallel_tool_calls as boolean;
    if (full.reasoning !== null && full.reasoning !== undefined) body.reasoning = full.reasoning;
    if (full.service_tier !== undefined) body.service_tier = full.service_tier;
    body.prompt_cache_key = this.threadId;
    if (full.text !== undefined) body.text = full.text;
    const setup = await this.#setup();
    const headers = {
      ...this.#commonHeaders(turn.turnMetadata),
      [X_CODEX_INSTALLATION_ID_HEADER]: this.installationId,
      ...authHeaders(setup.auth),
      ...(await this.#attestationHeader(setup, options.signal)),
    };
    let read: Awaited<ReturnType<HttpClient["requestText"]>>;
    try {
      read = await this.#http.requestText({
        method: "POST",
        url: providerUrl(this.provider, setup.baseUrl, "responses/compact"),
        headers,
        json: body,
        timeoutMs: streamIdleTimeoutMs(this.provider) * 4,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      throw transportError(error);
    }
    if (!read.ok) throw statusError(read.status, read.headers, read.body);
    let parsed: unknown;
    try {
      parsed = JSON.parse(read.body);
    } catch {
      throw new ModelClientError("stream", "the compaction answer is not JSON");
    }
    if (!isJsonObject(parsed) || !Array.isArray(parsed.output)) {
      throw new ModelClientError("stream", "the compaction answer has no output list");
    }
    return parsed.output.filter(isJsonObject) as JsonObject[];
  }

  /**
   * Summarises memory traces through `POST …/memories/trace_summarize`. An empty list returns
   * `[]` without resolving auth or touching the network. Never attested.
   */
  async summarizeMemories(
    memories: readonly RawMemory[],
    model: string,
    options: { readonly effort?: string; readonly signal?: AbortSignal } = {},
  ): Promise<MemorySummary[]> {
    if (!Array.isArray(memories)) {
      throw new ModelClientError("invalid_argument", "memories must be an array");
    }
    if (memories.length === 0) return [];
    if (typeof model !== "string" || model === "") {
      throw new ModelClientError("invalid_argument", "model must be a non-empty string");
    }
    const setup = await this.#setup();
    const body: JsonObject = {
      model,
      traces: memories.map((m) => ({
        id: m.id,
        metadata: { source_path: m.sourcePath },
        items: [...m.items],
      })),
    };
    if (options.effort !== undefined) body.reasoning = { effort: options.effort };
    let read: Awaited<ReturnType<HttpClient["requestText"]>>;
    try {
      read = await this.#http.requestText({
        method: "POST",
        url: providerUrl(this.provider, setup.baseUrl, "memories/trace_summarize"),
        headers: { ...subagentHeaders(this.sessionSource), ...authHeaders(setup.auth) },
        json: body,
        timeoutMs: streamIdleTimeoutMs(this.provider),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      throw transportError(error);
    }
    if (!read.ok) throw statusError(read.status, read.headers, read.body);
    let parsed: unknown;
    try {
      parsed = JSON.parse(read.body);
    } catch {
      throw new ModelClientError("stream", "the memory summary answer is not JSON");
    }
    const output = isJsonObject(parsed) && Array.isArray(parsed.output) ? parsed.output : undefined;
    if (output === undefined) {
      throw new ModelClientError("stream", "the memory summary answer has no output list");
    }
    return output.filter(isJsonObject).map((entry) => ({
      traceSummary: String(entry.trace_summary ?? entry.raw_memory ?? ""),
      memorySummary: String(entry.memory_summary ?? ""),
    }));
  }
}

/** Options of {@link ModelClientSession.prewarm}. */
export interface PrewarmOptions {
  readonly signal?: AbortSignal;
}

type Pause = (error: ModelClientError, retry: number) => Promise<void>;

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
    this.#internals = internalsOf(client);
    this.#websocket = this.#internals.takeWebsocket();
  }

  /** The turn state the server assigned, once it did. */
  get turnState(): string | undefined {
    return this.#turnState;
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
    const body = buildResponsesBody(prompt, turn, this.#internals.identity(), {
      store: isAzureResponsesProvider(this.client.provider),
    });
    if (!this.#internals.websocketsEnabled()) return;
    if (this.#websocket?.isOpen && this.#websocket.lastExchange !== undefined) return;
    const pause: Pause = async () => {
      throw new ModelClientError("stream", "prewarm is not retried");
    };
    for await (const _event of this.#websocketAttempt(
      body,
      turn,
      options.signal,
      undefined,
      pause,
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
    const sleep = internals.options.sleep ?? defaultSleep;
    const random = internals.options.random ?? Math.random;
    const signal = options.signal;
    const pause: Pause = async (error, retry) => {
      const delay = error.retryAfterMs ?? backoffDelayMs(retry, {}, random);
      try {
        await sleep(delay, signal);
      } catch (cause) {
        throw new ModelClientError("aborted", "the model request was cancelled", { cause });
      }
    };
    for (let attempt = 0; ; attempt++) {
      const trace = options.trace?.startAttempt();
      try {
        if (internals.websocketsEnabled()) {
          yield* this.#websocketAttempt(body, turn, signal, trace, pause, false);
        } else {
          yield* this.#httpAttempt(body, turn, signal, trace);
        }
        return;
      } catch (error) {
        const mapped = transportError(error);
        if (!streamRetryable(mapped) || attempt >= maxAttempts || signal?.aborted) throw mapped;
        yield [{ type: "reconnecting", attempt: attempt + 1, maxAttempts, error: mapped }];
        await pause(mapped, attempt + 1);
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
    const value = headers.get(X_CODEX_TURN_STATE_HEADER);
    if (value !== null && value !== "" && this.#turnState === undefined) this.#turnState = value;
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
      const response = await internals.http.request({
        method: "POST",
        url: providerUrl(provider, setup.baseUrl, "responses"),
        headers,
        body: bodyText,
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
    pause: Pause,
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
      const clientMetadata: JsonObject = {
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
          frameRetry < streamMaxRetries(provider) &&
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
        yield [
          {
            type: "reconnecting",
            attempt: frameRetry + 1,
            maxAttempts: streamMaxRetries(provider),
            error: failure,
          },
        ];
        await pause(failure, frameRetry + 1);
      }
    }
  }
}

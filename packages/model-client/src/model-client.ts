import type { Agent } from "node:http";
import { rootCertificates } from "node:tls";
import {
  createDispatcher,
  createHttpClient,
  type FetchFunction,
  type HttpClient,
  HttpError,
  loadCustomCa,
  websocketProxyAgent,
} from "@codex/http";
import { isJsonObject, type JsonObject, type Logger, silentLogger } from "@codex/wire";
import {
  type AttestationProvider,
  DEFAULT_ATTESTATION_BUDGET_MS,
  generateAttestationHeader,
  isChatgptCodexBackend,
  X_OAI_ATTESTATION_HEADER,
} from "./attestation.js";
import type { InferenceTrace } from "./inference-trace.js";
import {
  type ClientInternals,
  registerClientInternals,
  type SendSetup,
} from "./internal/client-internals.js";
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
} from "./internal/request-headers.js";
import { statusError } from "./internal/status-error.js";
import { transportError } from "./internal/transport-errors.js";
import type { WsConnection, WsConnectOptions } from "./internal/websocket-connection.js";
import { authHeaders, type ModelAuth, resolveRequestAuth } from "./model-auth.js";
import { ModelClientError } from "./model-client-error.js";
import { ModelClientSession } from "./model-client-session.js";
import {
  DEFAULT_CHATGPT_BASE_URL,
  type ModelProviderInfo,
  providerHeaders,
  providerUrl,
  requestMaxRetries,
  resolveProviderBaseUrl,
  streamIdleTimeoutMs,
  validateModelProviderInfo,
} from "./model-provider-info.js";
import {
  type RealtimeCallOptions,
  type RealtimeCallStart,
  realtimeCallBody,
  realtimeCallId,
} from "./realtime-call.js";
import { buildResponsesBody, type Prompt, type TurnOptions } from "./responses-request.js";
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
  /**
   * Compress `/responses` request bodies with zstd (`content-encoding: zstd`) when a
   * ChatGPT-family login talks to the built-in OpenAI provider (named `OpenAI`), as upstream's
   * `enable_request_compression` feature, which is stable and on by default. Default true. API
   * keys, custom and OSS providers, WebSocket messages, compaction and memories are never
   * compressed.
   */
  readonly requestCompression?: boolean;
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
  #wsTls: { ca?: string[] } | undefined;
  #ownDispatcher: ReturnType<typeof createDispatcher> | undefined;
  readonly #proxyAgents = new Map<string, Agent | undefined>();

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
    this.#http = options.http ?? this.#defaultHttp(options.fetch);
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
      websocketOptions: (url) => this.#websocketOptions(url),
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
    registerClientInternals(this, this.#internals);
  }

  /**
   * The default HTTP client: the shared dispatcher (proxy variables, `CODEX_CA_CERTIFICATE` /
   * `SSL_CERT_FILE`) unless a custom `fetch` is given.
   */
  #defaultHttp(fetch: FetchFunction | undefined): HttpClient {
    if (fetch !== undefined) return createHttpClient({ fetch, logger: this.#logger });
    // The process-wide dispatcher of @codex/http reads process.env; a client given another
    // environment gets its own (closed by close()).
    if (this.#options.env === undefined) return createHttpClient({ logger: this.#logger });
    try {
      this.#ownDispatcher = createDispatcher({ env: this.#env });
    } catch (cause) {
      throw new ModelClientError(
        "invalid_argument",
        HttpError.is(cause) ? cause.message : "the HTTP dispatcher could not be created",
        { cause },
      );
    }
    return createHttpClient({ dispatcher: this.#ownDispatcher, logger: this.#logger });
  }

  /**
   * Options of a WebSocket handshake to `url`: the custom CA, and a CONNECT tunnel through the
   * proxy that `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` name (the rules @codex/http applies to
   * HTTP, through `websocketProxyAgent` of @codex/http), one agent (or none) per origin.
   */
  #websocketOptions(url: string): WsConnectOptions {
    const tls = this.#websocketTls();
    // The proxy choice depends on the scheme and host only: one agent (or none) for each.
    const key = URL.canParse(url) ? new URL(url).origin : url;
    let agent = this.#proxyAgents.get(key);
    if (!this.#proxyAgents.has(key)) {
      try {
        agent = websocketProxyAgent(url, { env: this.#env });
      } catch (cause) {
        throw new ModelClientError(
          "invalid_argument",
          HttpError.is(cause) ? cause.message : "the WebSocket proxy could not be set up",
          { cause },
        );
      }
      this.#proxyAgents.set(key, agent);
    }
    return agent === undefined ? tls : { ...tls, agent };
  }

  /** TLS options of WebSocket handshakes: the custom CA bundle added to Node's roots. */
  #websocketTls(): { ca?: string[] } {
    if (this.#wsTls !== undefined) return this.#wsTls;
    let ca: string | undefined;
    try {
      ca = loadCustomCa({ env: this.#env });
    } catch (cause) {
      throw new ModelClientError(
        "invalid_argument",
        HttpError.is(cause) ? cause.message : "the custom CA bundle could not be read",
        { cause },
      );
    }
    this.#wsTls = ca === undefined ? {} : { ca: [...rootCertificates, ca] };
    return this.#wsTls;
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

  /**
   * Closes the cached WebSocket (sessions still open keep theirs until `close()`) and the
   * client's own HTTP dispatcher, if it made one for a custom `env`.
   */
  close(): void {
    this.#resetWebsocket();
    for (const agent of this.#proxyAgents.values()) agent?.destroy();
    this.#proxyAgents.clear();
    const dispatcher = this.#ownDispatcher;
    this.#ownDispatcher = undefined;
    // Not awaited: pooled idle sockets are released in the background.
    void dispatcher?.close().catch(() => {});
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
  async createRealtimeCall(
    sdp: string,
    options: RealtimeCallOptions = {},
  ): Promise<RealtimeCallStart> {
    const setup = await this.#setup();
    const request = realtimeCallBody(sdp, options.session, setup.baseUrl);
    const extra = { ...options.headers, ...(await this.#attestationHeader(setup, options.signal)) };
    let read: Awaited<ReturnType<HttpClient["requestText"]>>;
    try {
      read = await this.#http.requestText({
        method: "POST",
        url: providerUrl(this.provider, setup.baseUrl, "realtime/calls"),
        headers: {
          ...providerHeaders(this.provider, this.#env),
          originator: this.#originator,
          "user-agent": this.#userAgent,
          ...extra,
          ...authHeaders(setup.auth),
          "content-type": request.contentType,
        },
        body: request.body,
        timeoutMs: streamIdleTimeoutMs(this.provider),
        retry: { maxRetries: requestMaxRetries(this.provider) },
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

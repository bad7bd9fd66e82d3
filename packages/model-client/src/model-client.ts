import {
  backoffDelayMs,
  createHttpClient,
  type FetchFunction,
  type HttpClient,
  HttpError,
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
import { readSseResponse } from "./internal/sse-response.js";
import { statusError } from "./internal/status-error.js";
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
} from "./model-provider-info.js";
import {
  asciiHeaderValue,
  buildUserAgent,
  resolveOriginator,
  X_CLIENT_REQUEST_ID_HEADER,
  X_CODEX_BETA_FEATURES_HEADER,
  X_CODEX_INSTALLATION_ID_HEADER,
  X_CODEX_TURN_METADATA_HEADER,
  X_CODEX_TURN_STATE_HEADER,
  X_CODEX_WINDOW_ID_HEADER,
} from "./request-headers.js";
import type { ResponseEvent } from "./response-event.js";
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
  #windowGeneration = 0;

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
  }

  /** `<thread id>:<window generation>`. */
  windowId(): string {
    return `${this.threadId}:${this.#windowGeneration}`;
  }

  /** Starts a new context window (history rewritten, e.g. after compaction). */
  advanceWindowGeneration(): void {
    this.#windowGeneration++;
  }

  /** Sets the window generation (resuming a thread). */
  setWindowGeneration(generation: number): void {
    if (!Number.isInteger(generation) || generation < 0) {
      throw new ModelClientError(
        "invalid_argument",
        "window generation must be a non-negative integer",
      );
    }
    this.#windowGeneration = generation;
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

  /** A turn-scoped session (no I/O). */
  newSession(): ModelClientSession {
    return new ModelClientSession(this);
  }

  /** @internal Resolves auth, base URL and attestation scope for one send. */
  async setup(): Promise<SendSetup> {
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

  /** @internal The attestation header for one send, when in scope (never throws). */
  async attestationHeader(
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

  /** @internal Headers common to `/responses` and compaction. */
  commonHeaders(turnMetadata: string | undefined): Record<string, string> {
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

  /** @internal */
  get http(): HttpClient {
    return this.#http;
  }

  /** @internal */
  get logger(): Logger {
    return this.#logger;
  }

  /** @internal */
  get options(): ModelClientOptions {
    return this.#options;
  }

  /** @internal */
  identity(): RequestIdentity {
    return {
      threadId: this.threadId,
      installationId: this.installationId,
      windowId: this.windowId(),
    };
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
    const full = buildResponsesBody(prompt, turn, this.identity());
    const body: JsonObject = { model: full.model as string, input: full.input as JsonObject[] };
    if (full.instructions !== undefined) body.instructions = full.instructions;
    body.tools = full.tools as JsonObject[];
    body.parallel_tool_calls = full.parallel_tool_calls as boolean;
    if (full.reasoning !== null && full.reasoning !== undefined) body.reasoning = full.reasoning;
    if (full.service_tier !== undefined) body.service_tier = full.service_tier;
    body.prompt_cache_key = this.threadId;
    if (full.text !== undefined) body.text = full.text;
    const setup = await this.setup();
    const headers = {
      ...this.commonHeaders(turn.turnMetadata),
      [X_CODEX_INSTALLATION_ID_HEADER]: this.installationId,
      ...authHeaders(setup.auth),
      ...(await this.attestationHeader(setup, options.signal)),
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
    const setup = await this.setup();
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

/**
 * A turn-scoped session: holds the sticky `x-codex-turn-state` of the turn (first value the
 * server sends, echoed on every later request of the turn, never carried into the next one).
 */
export class ModelClientSession {
  readonly client: ModelClient;
  #turnState: string | undefined;

  /** @internal Use {@link ModelClient.newSession}. */
  constructor(client: ModelClient) {
    this.client = client;
  }

  /** The turn state the server assigned, once it did. */
  get turnState(): string | undefined {
    return this.#turnState;
  }

  /**
   * Streams one model response as {@link ResponseEvent}s. Breaking out of the loop or aborting
   * `signal` stops the network read at once. A cut or idle stream is sent again (up to the
   * provider's `streamMaxRetries`), announced by a `reconnecting` event.
   *
   * @throws {ModelClientError} from the iteration (`invalid_argument` at the first `next()`).
   */
  stream(
    prompt: Prompt,
    turn: TurnOptions,
    options: StreamOptions = {},
  ): AsyncIterable<ResponseEvent> {
    const body = buildResponsesBody(prompt, turn, this.client.identity(), {
      store: isAzureResponsesProvider(this.client.provider),
    });
    return this.#run(body, turn, options);
  }

  async *#run(
    body: JsonObject,
    turn: TurnOptions,
    options: StreamOptions,
  ): AsyncGenerator<ResponseEvent, void, undefined> {
    const client = this.client;
    const provider = client.provider;
    const idleMs = streamIdleTimeoutMs(provider);
    const maxAttempts = streamMaxRetries(provider);
    const sleep = client.options.sleep ?? defaultSleep;
    const random = client.options.random ?? Math.random;
    const bodyText = JSON.stringify(body);
    const signal = options.signal;
    const tag = (name: string, value: string) =>
      client.logger.info("feedback_tags", { [name]: JSON.stringify(value) });
    for (let attempt = 0; ; attempt++) {
      const trace = options.trace?.startAttempt();
      trace?.recordStarted(body);
      let response: Response;
      try {
        response = await this.#send(bodyText, turn, signal);
      } catch (error) {
        const mapped = transportError(error);
        trace?.recordFailed(mapped.message, mapped.requestId ?? null, []);
        if (!streamRetryable(mapped) || attempt >= maxAttempts || signal?.aborted) throw mapped;
        yield { type: "reconnecting", attempt: attempt + 1, maxAttempts, error: mapped };
        await this.#pause(mapped, attempt + 1, sleep, random, signal);
        continue;
      }
      try {
        yield* readSseResponse(
          response,
          { firstEventMs: client.options.firstEventTimeoutMs ?? idleMs, idleMs },
          trace,
          tag,
          signal,
        );
        return;
      } catch (error) {
        const mapped = transportError(error);
        if (!streamRetryable(mapped) || attempt >= maxAttempts || signal?.aborted) throw mapped;
        yield { type: "reconnecting", attempt: attempt + 1, maxAttempts, error: mapped };
        await this.#pause(mapped, attempt + 1, sleep, random, signal);
      }
    }
  }

  async #pause(
    error: ModelClientError,
    retry: number,
    sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
    random: () => number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const delay = error.retryAfterMs ?? backoffDelayMs(retry, {}, random);
    try {
      await sleep(delay, signal);
    } catch (cause) {
      throw new ModelClientError("aborted", "the model request was cancelled", { cause });
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
    const client = this.client;
    let recovery: AuthRecovery | undefined;
    for (;;) {
      const setup = await client.setup();
      const headers: Record<string, string> = {
        ...client.commonHeaders(turn.turnMetadata),
        [X_CLIENT_REQUEST_ID_HEADER]: client.threadId,
        accept: "text/event-stream",
        "content-type": "application/json",
        ...authHeaders(setup.auth),
        ...(await client.attestationHeader(setup, signal)),
      };
      if (this.#turnState !== undefined) headers[X_CODEX_TURN_STATE_HEADER] = this.#turnState;
      const idleMs = streamIdleTimeoutMs(client.provider);
      const response = await client.http.request({
        method: "POST",
        url: providerUrl(client.provider, setup.baseUrl, "responses"),
        headers,
        body: bodyText,
        timeoutMs: client.options.headersTimeoutMs ?? idleMs,
        retry: { maxRetries: requestMaxRetries(client.provider) },
        ...(signal === undefined ? {} : { signal }),
      });
      const turnState = response.headers.get(X_CODEX_TURN_STATE_HEADER);
      if (turnState !== null && turnState !== "" && this.#turnState === undefined) {
        this.#turnState = turnState;
      }
      if (response.ok) return response;
      const text = await readErrorBody(response);
      if (response.status === 401 && setup.auth !== undefined) {
        recovery ??= client.options.auth?.unauthorizedRecovery?.();
        if (recovery?.hasNext()) {
          const step = recovery.stepName();
          try {
            await recovery.next();
          } catch (cause) {
            client.logger.warn("unauthorized recovery failed", {
              mode: recovery.mode,
              phase: step,
            });
            throw new ModelClientError(
              "refresh_token_failed",
              "Your access token could not be refreshed. Please sign in again.",
              { status: 401, cause },
            );
          }
          client.logger.debug("retrying after unauthorized recovery", {
            mode: recovery.mode,
            phase: step,
          });
          continue;
        }
      }
      throw statusError(response.status, response.headers, text);
    }
  }
}

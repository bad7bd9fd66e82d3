import type { FetchFunction, HttpClient } from "@codex/http";
import type { JsonObject, Logger } from "@codex/wire";
import type { AttestationProvider } from "./attestation.js";
import type { InferenceTrace } from "./inference-trace.js";
import type { ModelAuth } from "./model-auth.js";
import type { ModelProviderInfo } from "./model-provider-info.js";
import type { SessionSource } from "./session-source.js";

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

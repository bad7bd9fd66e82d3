import { ModelClientError } from "./model-client-error.js";

/** Extra sends after the first for 5xx, timeouts and network errors (upstream default). */
export const DEFAULT_REQUEST_MAX_RETRIES = 4;
/** Reconnects of a broken stream within one call (upstream default). */
export const DEFAULT_STREAM_MAX_RETRIES = 5;
/** No complete event for this long ends the stream (upstream default, 300 s). */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;
/** Deadline of a WebSocket handshake (upstream default, 15 s). */
export const DEFAULT_WEBSOCKET_CONNECT_TIMEOUT_MS = 15_000;
/** Upper bound of both retry counts. */
export const MAX_RETRIES_CAP = 100;
/** Base URL of the ChatGPT Codex backend (ChatGPT auth with the built-in provider). */
export const CHATGPT_CODEX_BASE_URL = "https://chatgpt.com/backend-api/codex";
/** Base URL of the OpenAI API (API keys with the built-in provider). */
export const OPENAI_API_BASE_URL = "https://api.openai.com/v1";
/** The default ChatGPT base URL (`chatgpt_base_url` in config). */
export const DEFAULT_CHATGPT_BASE_URL = "https://chatgpt.com/backend-api";

/**
 * A model provider as `config.toml` describes it (`[model_providers.<id>]`), with upstream's
 * field meanings. Only the Responses wire API exists.
 */
export interface ModelProviderInfo {
  /** Display name; `OpenAI` marks the built-in provider. */
  readonly name: string;
  /** Base URL; unset means the built-in choice by auth mode. */
  readonly baseUrl?: string;
  /** Environment variable holding the API key sent as `Bearer`. */
  readonly envKey?: string;
  /** Shown when `envKey` is missing. */
  readonly envKeyInstructions?: string;
  /** A fixed bearer token (discouraged upstream; tests and local servers). */
  readonly experimentalBearerToken?: string;
  /** Query parameters appended to every URL (`api-version` for Azure, ...). */
  readonly queryParams?: Readonly<Record<string, string>>;
  /** Static headers sent with every request. */
  readonly httpHeaders?: Readonly<Record<string, string>>;
  /** Headers read from environment variables (`header → VAR`); empty variables are skipped. */
  readonly envHttpHeaders?: Readonly<Record<string, string>>;
  /** Default {@link DEFAULT_REQUEST_MAX_RETRIES}, capped at 100. */
  readonly requestMaxRetries?: number;
  /** Default {@link DEFAULT_STREAM_MAX_RETRIES}, capped at 100. */
  readonly streamMaxRetries?: number;
  /** Default {@link DEFAULT_STREAM_IDLE_TIMEOUT_MS}. */
  readonly streamIdleTimeoutMs?: number;
  /** Default {@link DEFAULT_WEBSOCKET_CONNECT_TIMEOUT_MS}. */
  readonly websocketConnectTimeoutMs?: number;
  /** The provider uses Codex login (ChatGPT or API key from `auth.json`). Default false. */
  readonly requiresOpenaiAuth?: boolean;
  /** The provider speaks the Responses WebSocket protocol. Default false. */
  readonly supportsWebsockets?: boolean;
}

/** How the request is authenticated, as far as the provider's base URL cares. */
export type ProviderAuthMode = "chatgpt" | "api_key" | "none";

/**
 * The built-in `openai` provider: OpenAI Responses, Codex login, WebSockets.
 * `OPENAI_ORGANIZATION` / `OPENAI_PROJECT` become `OpenAI-Organization` / `OpenAI-Project`.
 *
 * @param baseUrl an explicit base URL (e.g. a loopback backend); unset picks by auth mode.
 * @example
 * ```ts
 * const provider = createOpenAiProvider();
 * resolveProviderBaseUrl(provider, "chatgpt"); // "https://chatgpt.com/backend-api/codex"
 * ```
 */
export function createOpenAiProvider(baseUrl?: string): ModelProviderInfo {
  return {
    name: "OpenAI",
    ...(baseUrl === undefined ? {} : { baseUrl }),
    envHttpHeaders: {
      "OpenAI-Organization": "OPENAI_ORGANIZATION",
      "OpenAI-Project": "OPENAI_PROJECT",
    },
    requiresOpenaiAuth: true,
    supportsWebsockets: true,
  };
}

/**
 * An open-source (Ollama, LM Studio, ...) provider at `baseUrl`: no auth, no WebSockets.
 *
 * @example
 * ```ts
 * createOssProvider("http://127.0.0.1:11434/v1");
 * ```
 */
export function createOssProvider(baseUrl: string): ModelProviderInfo {
  return validateModelProviderInfo({ name: "gpt-oss", baseUrl });
}

function checkCount(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0) {
    throw new ModelClientError(
      "invalid_argument",
      `provider ${name} must be a non-negative integer`,
    );
  }
}

function checkMs(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value <= 0) {
    throw new ModelClientError("invalid_argument", `provider ${name} must be a positive number`);
  }
}

/**
 * Checks a provider before use: a non-empty name, an http(s) base URL, sane retry counts and
 * timeouts, string header maps.
 *
 * @throws {ModelClientError} `invalid_argument`
 */
export function validateModelProviderInfo(info: ModelProviderInfo): ModelProviderInfo {
  if (info === null || typeof info !== "object") {
    throw new ModelClientError("invalid_argument", "a provider must be an object");
  }
  if (typeof info.name !== "string" || info.name.trim() === "") {
    throw new ModelClientError("invalid_argument", "provider name must be a non-empty string");
  }
  if (info.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(info.baseUrl);
    } catch {
      throw new ModelClientError("invalid_argument", "provider baseUrl must be an absolute URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new ModelClientError("invalid_argument", "provider baseUrl must be http or https");
    }
  }
  if (info.envKey !== undefined && (typeof info.envKey !== "string" || info.envKey === "")) {
    throw new ModelClientError("invalid_argument", "provider envKey must be a non-empty string");
  }
  checkCount("requestMaxRetries", info.requestMaxRetries);
  checkCount("streamMaxRetries", info.streamMaxRetries);
  checkMs("streamIdleTimeoutMs", info.streamIdleTimeoutMs);
  checkMs("websocketConnectTimeoutMs", info.websocketConnectTimeoutMs);
  for (const field of ["queryParams", "httpHeaders", "envHttpHeaders"] as const) {
    const map = info[field];
    if (map === undefined) continue;
    if (map === null || typeof map !== "object" || Array.isArray(map)) {
      throw new ModelClientError("invalid_argument", `provider ${field} must be an object`);
    }
    for (const value of Object.values(map)) {
      if (typeof value !== "string") {
        throw new ModelClientError("invalid_argument", `provider ${field} values must be strings`);
      }
    }
  }
  return info;
}

/** `requestMaxRetries` with its default and cap. */
export function requestMaxRetries(info: ModelProviderInfo): number {
  return Math.min(info.requestMaxRetries ?? DEFAULT_REQUEST_MAX_RETRIES, MAX_RETRIES_CAP);
}

/** `streamMaxRetries` with its default and cap. */
export function streamMaxRetries(info: ModelProviderInfo): number {
  return Math.min(info.streamMaxRetries ?? DEFAULT_STREAM_MAX_RETRIES, MAX_RETRIES_CAP);
}

/** `streamIdleTimeoutMs` with its default. */
export function streamIdleTimeoutMs(info: ModelProviderInfo): number {
  return info.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
}

/** `websocketConnectTimeoutMs` with its default. */
export function websocketConnectTimeoutMs(info: ModelProviderInfo): number {
  return info.websocketConnectTimeoutMs ?? DEFAULT_WEBSOCKET_CONNECT_TIMEOUT_MS;
}

/**
 * The base URL requests go to: the explicit one, else the ChatGPT Codex backend for ChatGPT
 * auth and the OpenAI API otherwise.
 */
export function resolveProviderBaseUrl(info: ModelProviderInfo, mode: ProviderAuthMode): string {
  if (info.baseUrl !== undefined) return info.baseUrl;
  return mode === "chatgpt" ? CHATGPT_CODEX_BASE_URL : OPENAI_API_BASE_URL;
}

/**
 * `base + "/" + path` with one slash between them, then the provider's query parameters.
 *
 * @example
 * ```ts
 * providerUrl({ name: "x", queryParams: { "api-version": "1" } }, "https://h/v1/", "responses");
 * // "https://h/v1/responses?api-version=1"
 * ```
 */
export function providerUrl(info: ModelProviderInfo, base: string, path: string): string {
  let url = `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
  const query = Object.entries(info.queryParams ?? {});
  if (query.length > 0) {
    url += `?${query.map(([key, value]) => `${key}=${value}`).join("&")}`;
  }
  return url;
}

const AZURE_MARKERS = [
  "openai.azure.",
  "cognitiveservices.azure.",
  "aoai.azure.",
  "azure-api.",
  "azurefd.",
  "windows.net/openai",
];

/** Upstream's `is_openai()`: the provider is named `OpenAI` (the built-in one). */
export function isOpenAiProvider(info: ModelProviderInfo): boolean {
  return info.name === "OpenAI";
}

/** Upstream's Azure detection (name `azure`, or a known Azure host in the base URL): `store: true`. */
export function isAzureResponsesProvider(info: ModelProviderInfo): boolean {
  if (info.name.toLowerCase() === "azure") return true;
  const base = info.baseUrl?.toLowerCase() ?? "";
  return AZURE_MARKERS.some((marker) => base.includes(marker));
}

/**
 * The provider's own headers: `httpHeaders`, then `envHttpHeaders` from `env` (empty values
 * skipped).
 */
export function providerHeaders(
  info: ModelProviderInfo,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const headers: Record<string, string> = { ...info.httpHeaders };
  for (const [header, variable] of Object.entries(info.envHttpHeaders ?? {})) {
    const value = env[variable]?.trim();
    if (value !== undefined && value !== "") headers[header] = value;
  }
  return headers;
}

import type { ModelProviderConfig } from "../codex-config.js";
import type { ProviderToml } from "./config-schema.js";

/** Built-in provider ids (upstream `built_in_model_providers`, minus AWS-only `amazon-bedrock`). */
export const OPENAI_PROVIDER_ID = "openai";
export const OLLAMA_OSS_PROVIDER_ID = "ollama";
export const LMSTUDIO_OSS_PROVIDER_ID = "lmstudio";
export const DEFAULT_OLLAMA_PORT = 11434;
export const DEFAULT_LMSTUDIO_PORT = 1234;

/** Ids a `[model_providers.<id>]` table may not use (upstream `RESERVED_MODEL_PROVIDER_IDS`). */
export const RESERVED_PROVIDER_IDS: readonly string[] = [
  OPENAI_PROVIDER_ID,
  OLLAMA_OSS_PROVIDER_ID,
  LMSTUDIO_OSS_PROVIDER_ID,
];

/** The built-in `openai` provider, as `@codex/model-client` `createOpenAiProvider` builds it. */
export function openAiProvider(baseUrl: string | undefined): ModelProviderConfig {
  return {
    name: "OpenAI",
    ...(baseUrl === undefined ? {} : { baseUrl }),
    envHttpHeaders: {
      "OpenAI-Organization": "OPENAI_ORGANIZATION",
      "OpenAI-Project": "OPENAI_PROJECT",
    },
    requiresOpenaiAuth: true,
    supportsWebsockets: true,
    wireApi: "responses",
  };
}

/**
 * An open-source provider as upstream's `create_oss_provider`: `CODEX_OSS_BASE_URL` when set,
 * else `http://localhost:<CODEX_OSS_PORT or default port>/v1`; no auth, no WebSockets.
 */
export function ossProvider(
  defaultPort: number,
  env: Readonly<Record<string, string | undefined>>,
): ModelProviderConfig {
  const explicit = env.CODEX_OSS_BASE_URL;
  let baseUrl: string;
  if (explicit !== undefined && explicit.trim() !== "") {
    baseUrl = explicit;
  } else {
    const raw = env.CODEX_OSS_PORT?.trim() ?? "";
    const port = /^\d+$/.test(raw) && Number(raw) <= 65535 ? Number(raw) : defaultPort;
    baseUrl = `http://localhost:${port}/v1`;
  }
  return {
    name: "gpt-oss",
    baseUrl,
    requiresOpenaiAuth: false,
    supportsWebsockets: false,
    wireApi: "responses",
  };
}

/** Built-in providers, keyed by id. */
export function builtInProviders(
  openaiBaseUrl: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, ModelProviderConfig> {
  return {
    [OPENAI_PROVIDER_ID]: openAiProvider(openaiBaseUrl),
    [OLLAMA_OSS_PROVIDER_ID]: ossProvider(DEFAULT_OLLAMA_PORT, env),
    [LMSTUDIO_OSS_PROVIDER_ID]: ossProvider(DEFAULT_LMSTUDIO_PORT, env),
  };
}

/** A validated `[model_providers.<id>]` table, camelCased; absent fields stay absent. */
export function providerFromToml(toml: ProviderToml): ModelProviderConfig {
  const out: { -readonly [K in keyof ModelProviderConfig]?: ModelProviderConfig[K] } = {
    name: toml.name ?? "",
    wireApi: "responses",
    requiresOpenaiAuth: toml.requires_openai_auth ?? false,
    supportsWebsockets: toml.supports_websockets ?? false,
  };
  if (toml.base_url !== undefined) out.baseUrl = toml.base_url;
  if (toml.env_key !== undefined) out.envKey = toml.env_key;
  if (toml.env_key_instructions !== undefined) out.envKeyInstructions = toml.env_key_instructions;
  if (toml.experimental_bearer_token !== undefined) {
    out.experimentalBearerToken = toml.experimental_bearer_token;
  }
  if (toml.query_params !== undefined) out.queryParams = { ...toml.query_params };
  if (toml.http_headers !== undefined) out.httpHeaders = { ...toml.http_headers };
  if (toml.env_http_headers !== undefined) out.envHttpHeaders = { ...toml.env_http_headers };
  if (toml.request_max_retries !== undefined) out.requestMaxRetries = toml.request_max_retries;
  if (toml.stream_max_retries !== undefined) out.streamMaxRetries = toml.stream_max_retries;
  if (toml.stream_idle_timeout_ms !== undefined) {
    out.streamIdleTimeoutMs = toml.stream_idle_timeout_ms;
  }
  if (toml.websocket_connect_timeout_ms !== undefined) {
    out.websocketConnectTimeoutMs = toml.websocket_connect_timeout_ms;
  }
  return out as ModelProviderConfig;
}

import type { Logger } from "@codex/wire";

/** Where CLI credentials are kept (`cli_auth_credentials_store`). */
export type CredentialsStoreMode = "file" | "keyring" | "auto" | "ephemeral";

/**
 * A model provider (`[model_providers.<id>]`, or a built-in one), camelCased. Structurally a
 * `@codex/model-client` `ModelProviderInfo`, plus `wireApi` (only the Responses API exists).
 */
export interface ModelProviderConfig {
  /** Display name (`name`); `OpenAI` marks the built-in provider. */
  readonly name: string;
  /** `base_url`; unset on the built-in `openai` provider without `openai_base_url`. */
  readonly baseUrl?: string;
  /** `env_key`: environment variable holding the API key. */
  readonly envKey?: string;
  /** `env_key_instructions`. */
  readonly envKeyInstructions?: string;
  /** `experimental_bearer_token` (never printed by this package). */
  readonly experimentalBearerToken?: string;
  /** `query_params`. */
  readonly queryParams?: Readonly<Record<string, string>>;
  /** `http_headers` (values never printed by this package). */
  readonly httpHeaders?: Readonly<Record<string, string>>;
  /** `env_http_headers`: header name → environment variable. */
  readonly envHttpHeaders?: Readonly<Record<string, string>>;
  /** `request_max_retries`. */
  readonly requestMaxRetries?: number;
  /** `stream_max_retries`. */
  readonly streamMaxRetries?: number;
  /** `stream_idle_timeout_ms`. */
  readonly streamIdleTimeoutMs?: number;
  /** `websocket_connect_timeout_ms`. */
  readonly websocketConnectTimeoutMs?: number;
  /** `requires_openai_auth` (default false). */
  readonly requiresOpenaiAuth?: boolean;
  /** `supports_websockets` (default false). */
  readonly supportsWebsockets?: boolean;
  /** `wire_api`: only `"responses"` (upstream rejects `"chat"`). */
  readonly wireApi: "responses";
}

/** The configuration both apps run with: `config.toml` + `-c` overrides + defaults. */
export interface CodexConfig {
  /** Absolute Codex home. */
  readonly codexHome: string;
  /** `<codexHome>/config.toml` (it may not exist). */
  readonly configFile: string;
  /** `model`. */
  readonly model: string | undefined;
  /** `model_provider`, default `"openai"`. */
  readonly modelProviderId: string;
  /** The selected provider. */
  readonly modelProvider: ModelProviderConfig;
  /** Built-in providers (`openai`, `ollama`, `lmstudio`) and `[model_providers.*]`. */
  readonly modelProviders: Readonly<Record<string, ModelProviderConfig>>;
  /** `chatgpt_base_url`, default `https://chatgpt.com/backend-api/`. */
  readonly chatgptBaseUrl: string;
  /** `openai_base_url`: base URL of the built-in `openai` provider. */
  readonly openaiBaseUrl: string | undefined;
  /** `cli_auth_credentials_store`, default `"file"`. */
  readonly cliAuthCredentialsStore: CredentialsStoreMode;
  /** `forced_chatgpt_workspace_id`. */
  readonly forcedChatgptWorkspaceId: string | undefined;
  /** `forced_login_method`. */
  readonly forcedLoginMethod: "chatgpt" | "api" | undefined;
  /** `[features]`: `use_agent_identity` (default false). */
  readonly features: { readonly useAgentIdentity: boolean };
  /**
   * Ours: `agent_identity_allowed_hosts`, hosts beyond upstream's allowlist that may receive an
   * AgentAssertion (e.g. a loopback backend). Default empty.
   */
  readonly agentIdentityAllowedHosts: readonly string[];
  /** Ours: `attestation_timeout_ms`, how long to wait for a client's attestation. Default 1000. */
  readonly attestationTimeoutMs: number;
  /** `model_reasoning_effort`. */
  readonly modelReasoningEffort: string | undefined;
  /** The applied `[profiles.<name>]` (its keys already override the root ones above), if any. */
  readonly profile: string | undefined;
  /** The merged TOML table (file, then overrides), for keys not modelled here. */
  readonly table: Readonly<Record<string, unknown>>;
}

/** Options of `loadConfig`. */
export interface LoadConfigOptions {
  /** Codex home; default `$CODEX_HOME` (must exist and be a directory), else `~/.codex`. */
  codexHome?: string;
  /** Raw `-c key=value` strings, applied in order over the file. */
  overrides?: readonly string[];
  /** Environment (`CODEX_HOME`, `CODEX_OSS_BASE_URL`, `CODEX_OSS_PORT`); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Receives one warning per unknown key (never fatal); default silent. */
  logger?: Logger;
  /** The `[profiles.<name>]` to apply (`--profile`); default: the file's `profile` key, if any. */
  profile?: string;
}

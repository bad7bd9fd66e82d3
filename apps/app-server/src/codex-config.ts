/**
 * TEMPORARY: the `CodexConfig` shape of `@codex/config` (helper H1's package, per the lead's
 * contract), kept here until that package is merged into main. After the merge this file and
 * `config-shim.ts` are deleted and every import switches to `@codex/config`.
 */
export type CredentialsStoreMode = "file" | "keyring" | "auto" | "ephemeral";

/** One model provider (structurally `@codex/model-client`'s `ModelProviderInfo`). */
export interface ModelProviderConfig {
  readonly name: string;
  readonly baseUrl?: string;
  readonly envKey?: string;
  readonly envKeyInstructions?: string;
  readonly experimentalBearerToken?: string;
  readonly queryParams?: Readonly<Record<string, string>>;
  readonly httpHeaders?: Readonly<Record<string, string>>;
  readonly envHttpHeaders?: Readonly<Record<string, string>>;
  readonly requestMaxRetries?: number;
  readonly streamMaxRetries?: number;
  readonly streamIdleTimeoutMs?: number;
  readonly websocketConnectTimeoutMs?: number;
  readonly requiresOpenaiAuth?: boolean;
  readonly supportsWebsockets?: boolean;
  readonly wireApi: "responses";
}

/** The resolved configuration the app-server runs with. */
export interface CodexConfig {
  readonly codexHome: string;
  readonly configFile: string;
  readonly model: string | undefined;
  readonly modelProviderId: string;
  readonly modelProvider: ModelProviderConfig;
  readonly modelProviders: Readonly<Record<string, ModelProviderConfig>>;
  readonly chatgptBaseUrl: string;
  readonly openaiBaseUrl: string | undefined;
  readonly cliAuthCredentialsStore: CredentialsStoreMode;
  readonly forcedChatgptWorkspaceId: string | undefined;
  readonly forcedLoginMethod: "chatgpt" | "api" | undefined;
  readonly features: { readonly useAgentIdentity: boolean };
  readonly agentIdentityAllowedHosts: readonly string[];
  readonly attestationTimeoutMs: number;
  readonly modelReasoningEffort: string | undefined;
  readonly table: Readonly<Record<string, unknown>>;
}

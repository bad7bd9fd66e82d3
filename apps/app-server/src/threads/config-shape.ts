/**
 * TEMPORARY: the part of `@codex/config`'s `CodexConfig` (CONTRACTS.md) the thread engine reads,
 * typed structurally until `@codex/config` is on main. Delete this file and import
 * `CodexConfig` from `@codex/config` after merging.
 */
export interface ThreadEngineProviderConfig {
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

/** The keys of `CodexConfig` the engine reads. */
export interface ThreadEngineConfig {
  readonly codexHome: string;
  readonly model: string | undefined;
  readonly modelProviderId: string;
  readonly modelProvider: ThreadEngineProviderConfig;
  readonly chatgptBaseUrl: string;
  readonly forcedChatgptWorkspaceId: string | undefined;
  readonly features: { readonly useAgentIdentity: boolean };
  readonly agentIdentityAllowedHosts: readonly string[];
  readonly attestationTimeoutMs: number;
  readonly modelReasoningEffort: string | undefined;
}

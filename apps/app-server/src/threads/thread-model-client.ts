import type { CodexConfig } from "@codex/config";
import type { AuthManager } from "@codex/login";
import {
  type AttestationProvider,
  ModelClient,
  type ModelProviderInfo,
  modelAuthFromLogin,
} from "@codex/model-client";
import type { Logger } from "@codex/wire";
import type { ThreadSessionSource } from "./engine-thread.js";
import { loadInstallationId } from "./installation-id.js";

/** The model client's view of a configured provider (`wireApi` is always `responses`). */
export function providerInfo(provider: CodexConfig["modelProvider"]): ModelProviderInfo {
  const { wireApi: _wireApi, ...info } = provider;
  return info;
}

/** What a thread's model client is built from. */
export interface ThreadModelClientOptions {
  readonly config: CodexConfig;
  readonly auth: AuthManager;
  readonly originator: string;
  readonly userAgent: string;
  readonly sessionSource: ThreadSessionSource;
  readonly attestation?: AttestationProvider | undefined;
  readonly cliVersion: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Reads (or creates) `$CODEX_HOME/installation_id` (default {@link loadInstallationId}). */
  readonly loadInstallationId?: ((codexHome: string) => Promise<string>) | undefined;
}

/** A thread's model client and the installation id it sends. */
export interface ThreadModelClient {
  readonly client: ModelClient;
  readonly installationId: string;
}

/**
 * Makes one `ModelClient` per thread from the config: the selected provider, login's auth, the
 * session source, the connection's attestation provider and budget. The installation id is read
 * once per engine.
 */
export function threadModelClientFactory(
  options: ThreadModelClientOptions,
): (threadId: string) => Promise<ThreadModelClient> {
  const { config } = options;
  const load = options.loadInstallationId ?? loadInstallationId;
  let installationId: Promise<string> | undefined;
  return async (threadId) => {
    installationId ??= load(config.codexHome);
    const installation = await installationId;
    const client = new ModelClient({
      provider: providerInfo(config.modelProvider),
      sessionId: threadId,
      threadId,
      installationId: installation,
      auth: modelAuthFromLogin(options.auth),
      sessionSource: { kind: options.sessionSource },
      ...(options.attestation === undefined ? {} : { attestationProvider: options.attestation }),
      attestationBudgetMs: config.attestationTimeoutMs,
      chatgptBaseUrl: config.chatgptBaseUrl,
      clientVersion: options.cliVersion,
      originator: options.originator,
      userAgent: options.userAgent,
      env: options.env,
      logger: options.logger,
    });
    return { client, installationId: installation };
  };
}

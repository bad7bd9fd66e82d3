import {
  DEFAULT_ATTESTATION_BUDGET_MS,
  generateAttestationHeader,
  isChatgptCodexBackend,
  X_OAI_ATTESTATION_HEADER,
} from "../attestation.js";
import { type RequestAuth, resolveRequestAuth } from "../model-auth.js";
import type { ModelClientOptions } from "../model-client-options.js";
import {
  DEFAULT_CHATGPT_BASE_URL,
  type ModelProviderInfo,
  resolveProviderBaseUrl,
} from "../model-provider-info.js";

/** What a send needs resolved: auth, base URL, whether attestation applies. */
export interface SendSetup {
  readonly auth: RequestAuth | undefined;
  readonly baseUrl: string;
  readonly attest: boolean;
}

/**
 * What one send needs, resolved afresh for every send: the auth, the base URL it selects, and
 * whether the send is attested (host provider given, ChatGPT-family login through the client's
 * auth, no provider key or bearer token, the ChatGPT Codex backend).
 */
export async function resolveSendSetup(
  provider: ModelProviderInfo,
  options: ModelClientOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<SendSetup> {
  const auth = await resolveRequestAuth(provider, options.auth, env);
  const baseUrl = resolveProviderBaseUrl(provider, auth?.mode ?? "none");
  const attest =
    options.attestationProvider !== undefined &&
    auth?.mode === "chatgpt" &&
    options.auth !== undefined &&
    provider.envKey === undefined &&
    provider.experimentalBearerToken === undefined &&
    isChatgptCodexBackend(baseUrl, options.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL);
  return { auth, baseUrl, attest };
}

/** The `x-oai-attestation` header of one send (one provider call), or none. */
export async function sendAttestationHeader(
  options: ModelClientOptions,
  threadId: string,
  setup: SendSetup,
  signal: AbortSignal | undefined,
): Promise<Record<string, string>> {
  const provider = options.attestationProvider;
  if (!setup.attest || provider === undefined) return {};
  const value = await generateAttestationHeader(
    provider,
    threadId,
    options.attestationBudgetMs ?? DEFAULT_ATTESTATION_BUDGET_MS,
    signal,
  );
  return value === undefined ? {} : { [X_OAI_ATTESTATION_HEADER]: value };
}

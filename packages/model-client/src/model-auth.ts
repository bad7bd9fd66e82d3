import { Secret } from "@codex/wire";
import { ModelClientError } from "./model-client-error.js";
import type { ModelProviderInfo } from "./model-provider-info.js";

/** The credentials of one request. */
export interface RequestAuth {
  /** `chatgpt` for every ChatGPT-family login (tokens, host tokens, agent identity). */
  readonly mode: "chatgpt" | "api_key";
  /** The whole `Authorization` value: `Bearer …` or `AgentAssertion …`. */
  readonly authorization: Secret;
  /** The workspace id sent as `ChatGPT-Account-ID` (never with an `AgentAssertion`). */
  readonly accountId?: string;
  /** Adds `X-OpenAI-Fedramp: true`. */
  readonly fedramp?: boolean;
}

/** Why a recovery cannot run (login's names). */
export type AuthRecoveryUnavailableReason =
  | "not_chatgpt_auth"
  | "no_external_auth"
  | "recovery_exhausted"
  | "ready"
  | (string & {});

/**
 * Recovery from one HTTP 401, per request (login's `UnauthorizedRecovery` has this shape):
 * while {@link hasNext}, {@link next} runs a step (reload, refresh, host refresh).
 */
export interface AuthRecovery {
  /** `managed` or `external`. */
  readonly mode: string;
  /** Name of the next step, for telemetry (`reload`, `refresh_token`, `external_refresh`, `done`). */
  stepName(): string;
  hasNext(): boolean;
  unavailableReason(): AuthRecoveryUnavailableReason;
  /**
   * Runs the next step. Rejects when it fails; an error with `permanent: true` or a
   * login code of a permanent refresh failure ends the call with `refresh_token_failed`.
   */
  next(): Promise<{ readonly authStateChanged: boolean }>;
}

/**
 * What the model client needs of a login: the credentials of the next request (called once per
 * send, so a refreshed token is picked up) and, optionally, a 401 recovery. Login's
 * `AuthManager` is adapted to this in a few lines (see README).
 */
export interface ModelAuth {
  /** Current credentials, or undefined when logged out. */
  requestAuth(): Promise<RequestAuth | undefined>;
  /** A fresh recovery for one request, or undefined when the login cannot recover. */
  unauthorizedRecovery?(): AuthRecovery | undefined;
}

/**
 * A fixed API key (`Bearer <key>`), without recovery.
 *
 * @example
 * ```ts
 * const auth = apiKeyAuth(process.env.OPENAI_API_KEY ?? "");
 * ```
 * @throws {ModelClientError} `invalid_argument` for an empty key.
 */
export function apiKeyAuth(key: string | Secret): ModelAuth {
  const value = Secret.is(key) ? key.reveal() : key;
  if (typeof value !== "string" || value.trim() === "") {
    throw new ModelClientError("invalid_argument", "an API key must be a non-empty string");
  }
  const auth: RequestAuth = { mode: "api_key", authorization: new Secret(`Bearer ${value}`) };
  return { requestAuth: async () => auth };
}

/** True when the `Authorization` value is an `AgentAssertion` (no `ChatGPT-Account-ID` then). */
export function isAgentAssertionAuthorization(authorization: Secret | string): boolean {
  const value = typeof authorization === "string" ? authorization : authorization.reveal();
  return value.startsWith("AgentAssertion ");
}

/**
 * The auth headers of a request: `authorization`, `chatgpt-account-id` for a ChatGPT Bearer
 * (never under an `AgentAssertion`), `x-openai-fedramp` when flagged.
 */
export function authHeaders(auth: RequestAuth | undefined): Record<string, string> {
  if (auth === undefined) return {};
  const headers: Record<string, string> = { authorization: auth.authorization.reveal() };
  if (
    auth.mode === "chatgpt" &&
    auth.accountId !== undefined &&
    auth.accountId !== "" &&
    !isAgentAssertionAuthorization(auth.authorization)
  ) {
    headers["chatgpt-account-id"] = auth.accountId;
  }
  if (auth.fedramp === true) headers["x-openai-fedramp"] = "true";
  return headers;
}

/**
 * Upstream's auth precedence for one provider: the provider's `envKey` variable (required when
 * set), then `experimentalBearerToken`, then the login when the provider uses it (or any login
 * for a provider that names no key), else no auth.
 *
 * @throws {ModelClientError} `missing_auth` when the `envKey` variable is missing or blank.
 */
export async function resolveRequestAuth(
  provider: ModelProviderInfo,
  login: ModelAuth | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<RequestAuth | undefined> {
  if (provider.envKey !== undefined) {
    const value = env[provider.envKey]?.trim();
    if (value === undefined || value === "") {
      const hint =
        provider.envKeyInstructions === undefined ? "" : ` ${provider.envKeyInstructions}`;
      throw new ModelClientError(
        "missing_auth",
        `Missing environment variable: \`${provider.envKey}\`.${hint}`,
      );
    }
    return { mode: "api_key", authorization: new Secret(`Bearer ${value}`) };
  }
  if (provider.experimentalBearerToken !== undefined && provider.experimentalBearerToken !== "") {
    return {
      mode: "api_key",
      authorization: new Secret(`Bearer ${provider.experimentalBearerToken}`),
    };
  }
  return login?.requestAuth();
}

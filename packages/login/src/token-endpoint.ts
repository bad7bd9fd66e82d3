import { type HttpClient, HttpError } from "@codex/http";
import { isJsonObject, redactText, Secret } from "@codex/wire";
import { z } from "zod";
import { LoginError, type LoginErrorCode } from "./errors.js";
import { scrubEchoedSecrets, statusLine } from "./internal/response-detail.js";
import { parseWith } from "./internal/zod-error.js";

/** Default OAuth issuer. */
export const DEFAULT_ISSUER = "https://auth.openai.com";
/** Codex's public OAuth client id. */
export const CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
/** Environment variable that replaces the whole refresh URL (upstream). */
export const REFRESH_TOKEN_URL_OVERRIDE_ENV = "CODEX_REFRESH_TOKEN_URL_OVERRIDE";
/** Default deadline of one token-endpoint call. */
export const DEFAULT_TOKEN_ENDPOINT_TIMEOUT_MS = 30_000;

const MAX_DETAIL = 200;

/** `{issuer}/oauth/token` (trailing slashes of the issuer ignored). */
export function tokenEndpointUrl(issuer: string = DEFAULT_ISSUER): string {
  return `${issuer.replace(/\/+$/, "")}/oauth/token`;
}

/**
 * The refresh URL: `CODEX_REFRESH_TOKEN_URL_OVERRIDE` when set and non-empty, else
 * `{issuer}/oauth/token`.
 */
export function refreshTokenUrl(
  env: Readonly<Record<string, string | undefined>> = process.env,
  issuer: string = DEFAULT_ISSUER,
): string {
  const override = env[REFRESH_TOKEN_URL_OVERRIDE_ENV];
  return override !== undefined && override.trim() !== ""
    ? override.trim()
    : tokenEndpointUrl(issuer);
}

/**
 * Why a refresh is made, sent as the body's `refresh_reason` (upstream 0.169): `forced` for an
 * explicit refresh or a 401 recovery, `proactive_expiry` when the access token expired or is about
 * to.
 */
export type RefreshReason = "forced" | "proactive_expiry";

/** Where one refresh goes and with which client id. */
export interface RefreshTarget {
  readonly url: string;
  readonly clientId: string;
}

/** Inputs of {@link refreshTarget}. */
export interface RefreshTargetInput {
  /** Environment holding `CODEX_REFRESH_TOKEN_URL_OVERRIDE`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** An explicit whole refresh URL (the `refreshTokenUrl` option): like the env override. */
  readonly explicitUrl?: string | undefined;
  /** The configured issuer (default `https://auth.openai.com`). */
  readonly issuer: string;
  /** The configured client id. */
  readonly clientId: string;
  /** `tokens.oauth_provenance` of the credentials being refreshed. */
  readonly provenance?: { readonly issuer: string; readonly clientId: string } | undefined;
}

/**
 * The refresh URL and client id as upstream 0.169 chooses them: the URL is the explicit one, else
 * `CODEX_REFRESH_TOKEN_URL_OVERRIDE`, else `{oauth_provenance.issuer}/oauth/token` (a path in the
 * issuer kept), else `{issuer}/oauth/token`; the client id is `oauth_provenance.client_id` when
 * present (even with an override), else the configured one.
 *
 * @throws {LoginError} `refresh_failed` when the provenance issuer is not an http(s) URL (the
 *   refresh token is never sent to anything else).
 * @example
 * ```ts
 * refreshTarget({ env: {}, issuer: DEFAULT_ISSUER, clientId: CLIENT_ID,
 *   provenance: { issuer: "https://auth.example.com/iss", clientId: "app_x" } });
 * // { url: "https://auth.example.com/iss/oauth/token", clientId: "app_x" }
 * ```
 */
export function refreshTarget(input: RefreshTargetInput): RefreshTarget {
  const clientId = input.provenance?.clientId ?? input.clientId;
  const override = input.env[REFRESH_TOKEN_URL_OVERRIDE_ENV];
  if (input.explicitUrl !== undefined) return { url: input.explicitUrl, clientId };
  if (override !== undefined && override.trim() !== "") return { url: override.trim(), clientId };
  if (input.provenance !== undefined) {
    let protocol: string | undefined;
    try {
      protocol = new URL(input.provenance.issuer).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== "http:" && protocol !== "https:") {
      throw new LoginError(
        "refresh_failed",
        "Failed to refresh token: tokens.oauth_provenance.issuer is not an http(s) URL",
      );
    }
    return { url: tokenEndpointUrl(input.provenance.issuer), clientId };
  }
  return { url: tokenEndpointUrl(input.issuer), clientId };
}

/** Tokens a refresh returned; each present one replaces the stored one. */
export interface RefreshedTokens {
  readonly idToken?: Secret | undefined;
  readonly accessToken?: Secret | undefined;
  readonly refreshToken?: Secret | undefined;
}

/** Options of {@link refreshTokens}. */
export interface RefreshTokensOptions {
  /** The shared HTTP client (`createHttpClient` from `@codex/http`). */
  readonly http: HttpClient;
  /** Full refresh URL (default `https://auth.openai.com/oauth/token`). */
  readonly url?: string | undefined;
  /** OAuth client id (default {@link CLIENT_ID}). */
  readonly clientId?: string | undefined;
  /** The body's `refresh_reason` (default `forced`). */
  readonly refreshReason?: RefreshReason | undefined;
  /** Extra headers (the default client headers: originator, User-Agent, residency). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Deadline in ms (default 30 s). */
  readonly timeoutMs?: number | undefined;
  /** Cancels the call. */
  readonly signal?: AbortSignal | undefined;
}

/** Upstream `RefreshTokenFailedReason` messages by permanent error code. */
export const REFRESH_FAILURE_MESSAGES = {
  refresh_token_expired:
    "Your access token could not be refreshed because your refresh token has expired. Please log out and sign in again.",
  refresh_token_reused:
    "Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.",
  refresh_token_revoked:
    "Your access token could not be refreshed because your refresh token was revoked. Please log out and sign in again.",
  refresh_token_rejected:
    "Your access token could not be refreshed. Please log out and sign in again.",
  account_mismatch:
    "Your access token could not be refreshed because you have since logged out or signed in to another account. Please sign in again.",
} as const satisfies Partial<Record<LoginErrorCode, string>>;

// The token endpoint's success replies, written once. A refresh may leave any token out (or send
// null): each present one replaces the stored one. The code and token exchanges must return theirs.
const refreshReplySchema = z.looseObject({
  id_token: z.string().nullish(),
  access_token: z.string().nullish(),
  refresh_token: z.string().nullish(),
});
const exchangedTokensSchema = z.looseObject({
  id_token: z.string().min(1),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
});
const apiKeyReplySchema = z.looseObject({ access_token: z.string().min(1) });

const secretOrUndefined = (v: string | null | undefined): Secret | undefined =>
  v === undefined || v === null ? undefined : new Secret(v);

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function cleanDetail(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  const cut = oneLine.length > MAX_DETAIL ? `${oneLine.slice(0, MAX_DETAIL)}…` : oneLine;
  return redactText(cut);
}

/** The error code of a token-endpoint body: `error.code` | `error` (string) | `code`, lower-cased. */
export function extractOAuthErrorCode(body: unknown): string | undefined {
  if (!isJsonObject(body)) return undefined;
  const err = body.error;
  if (isJsonObject(err) && typeof err.code === "string") return err.code.toLowerCase();
  if (typeof err === "string") return err.toLowerCase();
  if (typeof body.code === "string") return body.code.toLowerCase();
  return undefined;
}

/**
 * Classifies a failed refresh response. Permanent: any 401, and a 400 carrying
 * `refresh_token_expired` / `refresh_token_reused` / `refresh_token_invalidated`; the code picks
 * the reason. Everything else is transient (`refresh_failed`).
 *
 * @example
 * ```ts
 * classifyRefreshFailure(401, '{"error":{"code":"refresh_token_reused"}}').code; // "refresh_token_reused"
 * ```
 */
export function classifyRefreshFailure(status: number, bodyText: string): LoginError {
  const body = tryJson(bodyText);
  const code = extractOAuthErrorCode(body);
  const reason: keyof typeof REFRESH_FAILURE_MESSAGES | undefined =
    code === "refresh_token_expired"
      ? "refresh_token_expired"
      : code === "refresh_token_reused"
        ? "refresh_token_reused"
        : code === "refresh_token_invalidated"
          ? "refresh_token_revoked"
          : undefined;
  if (status === 401 || (status === 400 && reason !== undefined)) {
    const permanent = reason ?? "refresh_token_rejected";
    return new LoginError(permanent, REFRESH_FAILURE_MESSAGES[permanent], { status });
  }
  let message: string | undefined;
  if (isJsonObject(body) && isJsonObject(body.error) && typeof body.error.message === "string") {
    message = body.error.message;
  } else if (body === undefined && bodyText.trim() !== "") {
    message = bodyText;
  }
  const detail = message !== undefined ? cleanDetail(message) : "Unknown error";
  return new LoginError(
    "refresh_failed",
    `Failed to refresh token: ${statusLine(status)}: ${detail}`,
    {
      status,
    },
  );
}

function transportError(prefix: LoginErrorCode, what: string, cause: unknown): LoginError {
  if (HttpError.is(cause)) {
    return new LoginError(prefix, `${what}: ${cause.code}`, { cause });
  }
  return new LoginError(prefix, `${what}: request failed`, { cause });
}

/**
 * Exchanges a refresh token at the OAuth token endpoint (JSON body, in upstream 0.169's order:
 * `client_id`, `grant_type: "refresh_token"`, `refresh_reason`, `refresh_token`).
 *
 * @throws {LoginError} a permanent code (`refresh_token_expired`, `refresh_token_reused`,
 * `refresh_token_revoked`, `refresh_token_rejected`) or the transient `refresh_failed` (network,
 * timeout, other statuses, undecodable body), with the `HttpError` as `cause`.
 * @example
 * ```ts
 * const tokens = await refreshTokens(refreshToken, { http: createHttpClient() });
 * ```
 */
export async function refreshTokens(
  refreshToken: Secret,
  options: RefreshTokensOptions,
): Promise<RefreshedTokens> {
  if (!Secret.is(refreshToken) || refreshToken.isEmpty) {
    throw new LoginError("refresh_token_rejected", REFRESH_FAILURE_MESSAGES.refresh_token_rejected);
  }
  let res: { status: number; ok: boolean; body: string };
  try {
    res = await options.http.requestText({
      method: "POST",
      url: options.url ?? tokenEndpointUrl(),
      headers: { ...options.headers, "content-type": "application/json" },
      body: JSON.stringify({
        client_id: options.clientId ?? CLIENT_ID,
        grant_type: "refresh_token",
        refresh_reason: options.refreshReason ?? "forced",
        refresh_token: refreshToken.reveal(),
      }),
      timeoutMs: options.timeoutMs ?? DEFAULT_TOKEN_ENDPOINT_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    throw transportError("refresh_failed", "Failed to refresh token", cause);
  }
  if (!res.ok)
    throw classifyRefreshFailure(res.status, scrubEchoedSecrets(res.body, [refreshToken]));
  const reply = parseWith(
    refreshReplySchema,
    tryJson(res.body),
    "refresh_failed",
    `Failed to refresh token: ${statusLine(res.status)}: invalid response`,
    { status: res.status },
  );
  return {
    idToken: secretOrUndefined(reply.id_token),
    accessToken: secretOrUndefined(reply.access_token),
    refreshToken: secretOrUndefined(reply.refresh_token),
  };
}

/** Tokens returned by the authorization-code exchange. */
export interface ExchangedTokens {
  readonly idToken: Secret;
  readonly accessToken: Secret;
  readonly refreshToken: Secret;
}

/** Parameters of {@link exchangeAuthorizationCode}. */
export interface AuthorizationCodeExchange {
  readonly http: HttpClient;
  /** OAuth issuer (default `https://auth.openai.com`). */
  readonly issuer?: string | undefined;
  readonly clientId?: string | undefined;
  /** The authorization code from the redirect. */
  readonly code: Secret;
  readonly redirectUri: string;
  /** The PKCE code verifier. */
  readonly codeVerifier: Secret;
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Detail of a failed exchange: `error_description` | `error.message` | `error` | `error.code` | raw body. */
function exchangeFailureDetail(bodyText: string): string {
  const body = tryJson(bodyText);
  if (isJsonObject(body)) {
    if (typeof body.error_description === "string") return cleanDetail(body.error_description);
    const err = body.error;
    if (isJsonObject(err) && typeof err.message === "string") return cleanDetail(err.message);
    if (typeof err === "string") return cleanDetail(err);
    if (isJsonObject(err) && typeof err.code === "string") return cleanDetail(err.code);
  }
  return bodyText.trim() === "" ? "unknown error" : cleanDetail(bodyText);
}

/**
 * POSTs a form to `{issuer}/oauth/token` and returns the 2xx reply validated by `schema`
 * (`token_exchange_failed` naming the missing or mistyped field otherwise).
 * Failures are `token_exchange_failed`: `token endpoint returned status {status}: {detail}`, the
 * status as upstream prints it (`400 Bad Request`), the request's own secrets scrubbed from the
 * echoed body.
 */
async function postTokenForm<S extends z.ZodType>(
  schema: S,
  params: {
    readonly http: HttpClient;
    readonly issuer?: string | undefined;
    readonly timeoutMs?: number | undefined;
    readonly signal?: AbortSignal | undefined;
  },
  form: URLSearchParams,
  ownSecrets: readonly Secret[],
): Promise<z.output<S>> {
  let res: { status: number; ok: boolean; body: string };
  try {
    res = await params.http.requestText({
      method: "POST",
      url: tokenEndpointUrl(params.issuer),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      timeoutMs: params.timeoutMs ?? DEFAULT_TOKEN_ENDPOINT_TIMEOUT_MS,
      ...(params.signal ? { signal: params.signal } : {}),
    });
  } catch (cause) {
    throw transportError("token_exchange_failed", "token endpoint request failed", cause);
  }
  if (!res.ok) {
    throw new LoginError(
      "token_exchange_failed",
      `token endpoint returned status ${statusLine(res.status)}: ${exchangeFailureDetail(scrubEchoedSecrets(res.body, ownSecrets))}`,
      { status: res.status },
    );
  }
  return parseWith(
    schema,
    tryJson(res.body),
    "token_exchange_failed",
    "token endpoint response is invalid",
    { status: res.status },
  );
}

/**
 * The authorization-code grant: form POST to `{issuer}/oauth/token` with `grant_type`,
 * `code`, `redirect_uri`, `client_id`, `code_verifier`. The reply must carry `id_token`,
 * `access_token` and `refresh_token`.
 *
 * @throws {LoginError} code `token_exchange_failed` (`token endpoint returned status {status}: {detail}`).
 * @example
 * ```ts
 * const tokens = await exchangeAuthorizationCode({ http, code, redirectUri, codeVerifier });
 * ```
 */
export async function exchangeAuthorizationCode(
  params: AuthorizationCodeExchange,
): Promise<ExchangedTokens> {
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    code: params.code.reveal(),
    redirect_uri: params.redirectUri,
    client_id: params.clientId ?? CLIENT_ID,
    code_verifier: params.codeVerifier.reveal(),
  });
  const body = await postTokenForm(exchangedTokensSchema, params, form, [
    params.code,
    params.codeVerifier,
  ]);
  return {
    idToken: new Secret(body.id_token),
    accessToken: new Secret(body.access_token),
    refreshToken: new Secret(body.refresh_token),
  };
}

/** Parameters of {@link exchangeIdTokenForApiKey}. */
export interface ApiKeyExchange {
  readonly http: HttpClient;
  readonly issuer?: string | undefined;
  readonly clientId?: string | undefined;
  readonly idToken: Secret;
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The token-exchange grant that turns an id token into an OpenAI API key
 * (`requested_token=openai-api-key`); the reply's `access_token` is the key.
 *
 * @throws {LoginError} code `token_exchange_failed`.
 */
export async function exchangeIdTokenForApiKey(params: ApiKeyExchange): Promise<Secret> {
  const form = new URLSearchParams({
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    client_id: params.clientId ?? CLIENT_ID,
    requested_token: "openai-api-key",
    subject_token: params.idToken.reveal(),
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
  });
  const body = await postTokenForm(apiKeyReplySchema, params, form, [params.idToken]);
  return new Secret(body.access_token);
}

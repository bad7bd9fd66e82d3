import { type HttpClient, HttpError, redactText, Secret } from "@codex/http";
import { LoginError } from "../errors.js";
import { trimIssuer } from "./oauth-defaults.js";

/** Tokens returned by the issuer for an authorization code. */
export interface ExchangedTokens {
  /** `id_token` (raw JWT). */
  readonly idToken: Secret;
  /** `access_token`. */
  readonly accessToken: Secret;
  /** `refresh_token`. */
  readonly refreshToken: Secret;
}

/** Input of {@link exchangeCodeForTokens}. */
export interface CodeExchangeRequest {
  readonly http: HttpClient;
  readonly issuer: string;
  readonly clientId: string;
  readonly code: Secret;
  readonly codeVerifier: Secret;
  readonly redirectUri: string;
  readonly signal?: AbortSignal | undefined;
  /** Deadline in ms (default 30 s). */
  readonly timeoutMs?: number | undefined;
}

const MAX_DETAIL = 300;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * The human-readable detail of a failed token-endpoint reply, upstream's order:
 * `error_description`, `error.message`, `error` (string), `error.code`, the raw body, else
 * `unknown error`. Secrets that might be echoed are redacted and the text is capped.
 */
export function tokenEndpointErrorDetail(body: string): string {
  let detail: string | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (isObject(parsed)) {
      const err = parsed.error;
      if (typeof parsed.error_description === "string") detail = parsed.error_description;
      else if (isObject(err) && typeof err.message === "string") detail = err.message;
      else if (typeof err === "string") detail = err;
      else if (isObject(err) && typeof err.code === "string") detail = err.code;
    }
  } catch {
    // not JSON: fall back to the raw body
  }
  if (detail === undefined) detail = body.trim() === "" ? "unknown error" : body.trim();
  const safe = redactText(detail);
  return safe.length > MAX_DETAIL ? `${safe.slice(0, MAX_DETAIL)}…` : safe;
}

async function postForm(
  http: HttpClient,
  url: string,
  form: URLSearchParams,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
): Promise<{ status: number; ok: boolean; body: string }> {
  try {
    const res = await http.requestText({
      method: "POST",
      url,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
      timeoutMs: timeoutMs ?? 30_000,
      ...(signal ? { signal } : {}),
    });
    return { status: res.status, ok: res.ok, body: res.body };
  } catch (cause) {
    if (cause instanceof HttpError && cause.code === "aborted") {
      throw new LoginError("login_cancelled", "login was cancelled during the token exchange", {
        cause,
      });
    }
    const what = cause instanceof HttpError ? cause.code : "network error";
    throw new LoginError("token_exchange_failed", `token endpoint request failed (${what})`, {
      cause,
    });
  }
}

/**
 * Exchanges an authorization code at `{issuer}/oauth/token` (form-encoded
 * `grant_type=authorization_code`, `code`, `redirect_uri`, `client_id`, `code_verifier`).
 *
 * @throws {LoginError} `token_exchange_failed` (non-2xx: `token endpoint returned status …`,
 *   missing tokens, transport errors) or `login_cancelled` when `signal` aborts.
 * @example
 * ```ts
 * const tokens = await exchangeCodeForTokens({ http, issuer, clientId, code, codeVerifier, redirectUri });
 * ```
 */
export async function exchangeCodeForTokens(req: CodeExchangeRequest): Promise<ExchangedTokens> {
  const form = new URLSearchParams();
  form.set("grant_type", "authorization_code");
  form.set("code", req.code.reveal());
  form.set("redirect_uri", req.redirectUri);
  form.set("client_id", req.clientId);
  form.set("code_verifier", req.codeVerifier.reveal());
  const url = `${trimIssuer(req.issuer)}/oauth/token`;
  const res = await postForm(req.http, url, form, req.signal, req.timeoutMs);
  if (!res.ok) {
    throw new LoginError(
      "token_exchange_failed",
      `token endpoint returned status ${res.status}: ${tokenEndpointErrorDetail(res.body)}`,
      { status: res.status },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    throw new LoginError(
      "token_exchange_failed",
      "token endpoint returned a body that is not JSON",
      {
        status: res.status,
      },
    );
  }
  if (!isObject(parsed)) {
    throw new LoginError("token_exchange_failed", "token endpoint returned a non-object body", {
      status: res.status,
    });
  }
  const pick = (key: string): Secret => {
    const v = parsed[key];
    if (typeof v !== "string" || v === "") {
      throw new LoginError("token_exchange_failed", `token endpoint reply lacks ${key}`, {
        status: res.status,
      });
    }
    return new Secret(v);
  };
  return {
    idToken: pick("id_token"),
    accessToken: pick("access_token"),
    refreshToken: pick("refresh_token"),
  };
}

/** Input of {@link obtainApiKey}. */
export interface ApiKeyExchangeRequest {
  readonly http: HttpClient;
  readonly issuer: string;
  readonly clientId: string;
  readonly idToken: Secret;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
}

/**
 * Exchanges an id token for an API key (RFC 8693 token exchange with
 * `requested_token=openai-api-key`), as upstream's browser login does.
 *
 * @throws {LoginError} `token_exchange_failed`; callers treat any failure as "no key".
 */
export async function obtainApiKey(req: ApiKeyExchangeRequest): Promise<Secret> {
  const form = new URLSearchParams();
  form.set("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
  form.set("client_id", req.clientId);
  form.set("requested_token", "openai-api-key");
  form.set("subject_token", req.idToken.reveal());
  form.set("subject_token_type", "urn:ietf:params:oauth:token-type:id_token");
  const url = `${trimIssuer(req.issuer)}/oauth/token`;
  const res = await postForm(req.http, url, form, req.signal, req.timeoutMs);
  if (!res.ok) {
    throw new LoginError(
      "token_exchange_failed",
      `API key exchange returned status ${res.status}: ${tokenEndpointErrorDetail(res.body)}`,
      { status: res.status },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    throw new LoginError("token_exchange_failed", "API key exchange returned a non-JSON body");
  }
  if (!isObject(parsed) || typeof parsed.access_token !== "string" || parsed.access_token === "") {
    throw new LoginError("token_exchange_failed", "API key exchange reply lacks access_token");
  }
  return new Secret(parsed.access_token);
}

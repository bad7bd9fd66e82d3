import { type HttpClient, HttpError } from "@codex/http";
import { type Logger, redactText, silentLogger } from "@codex/wire";
import { type AuthDotJson, resolvedAuthMode } from "../auth-dot-json.js";
import { LoginError } from "../errors.js";
import { scrubEchoedSecrets, statusLine } from "../internal/response-detail.js";
import { CLIENT_ID, DEFAULT_ISSUER, trimIssuer } from "./oauth-defaults.js";

/** Upstream's revocation endpoint. */
export const DEFAULT_REVOKE_URL = `${DEFAULT_ISSUER}/oauth/revoke`;

/** Deadline of one revocation call (upstream: 10 s). */
export const REVOKE_TIMEOUT_MS = 10_000;

/** Options of {@link revokeAuthTokens}. */
export interface RevokeOptions {
  /** HTTP client (the default Codex client in production). */
  readonly http: HttpClient;
  /** Explicit revocation URL; beats the environment and `issuer`. */
  readonly revokeUrl?: string | undefined;
  /** Issuer whose `/oauth/revoke` is used when no URL or env override is given. */
  readonly issuer?: string | undefined;
  /** OAuth client id sent with refresh tokens (default upstream's). */
  readonly clientId?: string | undefined;
  /** Environment for `CODEX_REVOKE_TOKEN_URL_OVERRIDE` / `CODEX_REFRESH_TOKEN_URL_OVERRIDE`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The revocation URL like upstream: `CODEX_REVOKE_TOKEN_URL_OVERRIDE`, else
 * `CODEX_REFRESH_TOKEN_URL_OVERRIDE` with its path replaced by `/oauth/revoke` (no query), else
 * `{issuer}/oauth/revoke` when an issuer is given, else `https://auth.openai.com/oauth/revoke`.
 */
export function revokeUrlFor(options: Omit<RevokeOptions, "http" | "signal">): string {
  if (options.revokeUrl !== undefined && options.revokeUrl !== "") return options.revokeUrl;
  const env = options.env ?? process.env;
  const direct = env.CODEX_REVOKE_TOKEN_URL_OVERRIDE;
  if (direct !== undefined && direct.trim() !== "") return direct.trim();
  const refresh = env.CODEX_REFRESH_TOKEN_URL_OVERRIDE;
  if (refresh !== undefined && refresh.trim() !== "") {
    try {
      const url = new URL(refresh.trim());
      url.pathname = "/oauth/revoke";
      url.search = "";
      url.hash = "";
      return url.toString();
    } catch {
      // unusable override: fall through to the default
    }
  }
  if (options.issuer !== undefined && options.issuer !== "") {
    return `${trimIssuer(options.issuer)}/oauth/revoke`;
  }
  return DEFAULT_REVOKE_URL;
}

/** What {@link revokeAuthTokens} did. */
export type RevokeOutcome = "revoked_refresh_token" | "revoked_access_token" | "nothing_to_revoke";

function messageOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === "object") {
      const p = parsed as Record<string, unknown>;
      const err = p.error;
      if (typeof p.error_description === "string") return p.error_description;
      if (err !== null && typeof err === "object") {
        const m = (err as Record<string, unknown>).message;
        if (typeof m === "string") return m;
      }
      if (typeof err === "string") return err;
    }
  } catch {
    // raw body below
  }
  const raw = body.trim();
  return raw === "" ? "Unknown error" : raw.slice(0, 300);
}

/**
 * Revokes the managed ChatGPT tokens of `auth` at the issuer: the refresh token (with
 * `token_type_hint: "refresh_token"` and `client_id`) when present, else the access token
 * (`token_type_hint: "access_token"`, no client id). API-key and host-owned (`chatgptAuthTokens`)
 * auth is never revoked.
 *
 * @throws {LoginError} code `revoke_failed` (`failed to revoke refresh_token: 400 Bad Request: …`, the revoked token scrubbed from an echoed body).
 * @example
 * ```ts
 * await revokeAuthTokens(await storage.load(), { http });
 * ```
 */
export async function revokeAuthTokens(
  auth: AuthDotJson | undefined,
  options: RevokeOptions,
): Promise<RevokeOutcome> {
  if (
    options === null ||
    typeof options !== "object" ||
    typeof options.http?.requestText !== "function"
  ) {
    throw new LoginError("invalid_argument", "revokeAuthTokens needs an HTTP client");
  }
  if (auth !== undefined && (auth === null || typeof auth !== "object")) {
    throw new LoginError("invalid_argument", "revokeAuthTokens needs an AuthDotJson or undefined");
  }
  if (auth === undefined || resolvedAuthMode(auth) !== "chatgpt" || auth.tokens === undefined) {
    return "nothing_to_revoke";
  }
  const refresh = auth.tokens.refreshToken.reveal();
  const access = auth.tokens.accessToken.reveal();
  let kind: "refresh_token" | "access_token";
  let body: Record<string, string>;
  if (refresh !== "") {
    kind = "refresh_token";
    body = {
      token: refresh,
      token_type_hint: kind,
      client_id: options.clientId ?? CLIENT_ID,
    };
  } else if (access !== "") {
    kind = "access_token";
    body = { token: access, token_type_hint: kind };
  } else {
    return "nothing_to_revoke";
  }
  const url = revokeUrlFor(options);
  let status: number;
  let text: string;
  try {
    const res = await options.http.requestText({
      method: "POST",
      url,
      json: body,
      timeoutMs: REVOKE_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    status = res.status;
    text = res.body;
  } catch (cause) {
    const what = HttpError.is(cause) ? cause.code : "network error";
    throw new LoginError("revoke_failed", `failed to revoke ${kind}: request failed (${what})`, {
      cause,
    });
  }
  if (status < 200 || status >= 300) {
    throw new LoginError(
      "revoke_failed",
      `failed to revoke ${kind}: ${statusLine(status)}: ${redactText(messageOf(scrubEchoedSecrets(text, [body.token ?? ""])))}`,
      { status },
    );
  }
  return kind === "refresh_token" ? "revoked_refresh_token" : "revoked_access_token";
}

/**
 * Revokes best effort: a failure is logged (`failed to revoke …`) and swallowed.
 * Returns the outcome, or `"failed"`.
 */
export async function revokeAuthTokensBestEffort(
  auth: AuthDotJson | undefined,
  options: RevokeOptions & { readonly logger?: Logger | undefined; readonly context: string },
): Promise<RevokeOutcome | "failed"> {
  const logger = options.logger ?? silentLogger;
  try {
    return await revokeAuthTokens(auth, options);
  } catch (err) {
    const message = err instanceof Error ? err.message : "unknown error";
    logger.warn(`${options.context}: ${redactText(message)}`);
    return "failed";
  }
}

import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestRecord } from "../fake-backend-state.js";
import { decodeJwtClaims } from "../unsigned-jwt.js";
import type { BackendContext } from "./backend-context.js";
import {
  errorBody,
  HttpProblem,
  parseJsonObject,
  parseJsonOrForm,
  readBody,
  requireString,
  sendJson,
} from "./http-io.js";
import { IssuerStore, type TokenSet } from "./issuer-store.js";
import { deviceAuthFields, parseBody } from "./request-bodies.js";

/** Small bodies only on the issuer. */
const ISSUER_BODY_LIMIT = 64 * 1024;
const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

const DEFAULT_SCOPE = "openid profile email offline_access";

/** The token endpoint's success body for a minted token set. */
function tokenResponse(tokens: TokenSet) {
  return {
    id_token: tokens.idToken,
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    token_type: "Bearer",
    expires_in: tokens.expiresIn,
  };
}

function oauthError(res: ServerResponse, status: number, error: string, description: string): void {
  sendJson(res, status, { error, error_description: description });
}

function bodyLimit(context: BackendContext): number {
  return Math.min(ISSUER_BODY_LIMIT, context.options.maxBodyBytes);
}

/**
 * `GET /oauth/authorize`: no UI, redirects straight back to the loopback `redirect_uri` with a
 * code bound to the PKCE challenge (or with the configured OAuth error).
 */
export function handleAuthorize(
  context: BackendContext,
  url: URL,
  res: ServerResponse,
  record: RequestRecord,
): void {
  const params = url.searchParams;
  record.body = Object.fromEntries(params);
  const clientId = params.get("client_id");
  if (clientId !== context.options.clientId) {
    oauthError(res, 400, "invalid_client", "client_id is missing or unknown");
    return;
  }
  const redirectRaw = params.get("redirect_uri") ?? "";
  let redirect: URL;
  try {
    redirect = new URL(redirectRaw);
  } catch {
    oauthError(res, 400, "invalid_request", "redirect_uri is missing or not a URL");
    return;
  }
  if (redirect.protocol !== "http:" || !LOOPBACK_HOSTS.has(redirect.hostname)) {
    oauthError(res, 400, "invalid_request", "redirect_uri must be a loopback http URL");
    return;
  }
  const state = params.get("state");
  const back = (query: Record<string, string>) => {
    for (const [key, value] of Object.entries(query)) redirect.searchParams.set(key, value);
    if (state !== null) redirect.searchParams.set("state", state);
    res.writeHead(302, { location: redirect.toString(), "content-length": 0 });
    res.end();
  };
  if (params.get("response_type") !== "code") {
    back({ error: "unsupported_response_type", error_description: "response_type must be code" });
    return;
  }
  const challenge = params.get("code_challenge") ?? "";
  if (params.get("code_challenge_method") !== "S256" || !IssuerStore.isPkceValue(challenge)) {
    back({ error: "invalid_request", error_description: "an S256 code_challenge is required" });
    return;
  }
  const configured = context.options.authorizeError;
  if (configured !== undefined) {
    back(
      configured.errorDescription === undefined
        ? { error: configured.error }
        : { error: configured.error, error_description: configured.errorDescription },
    );
    return;
  }
  const code = context.issuer.createCode(
    clientId,
    redirectRaw,
    challenge,
    params.get("scope") ?? DEFAULT_SCOPE,
  );
  back({ code });
}

/**
 * `POST /oauth/token`: `authorization_code` (PKCE S256), `refresh_token` (rotation, reuse
 * detection), and the token exchange for an API key. Form or JSON bodies.
 */
export async function handleToken(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
): Promise<void> {
  const fields = parseJsonOrForm(req, await readBody(req, bodyLimit(context)));
  record.body = fields;
  const grantType = requireString(fields, "grant_type");
  const grant = (outcome: string) =>
    context.state.append(context.state.tokenGrants, {
      at: context.options.now(),
      grantType,
      outcome,
    });
  const clientId = fields.client_id;
  if (clientId !== context.options.clientId) {
    grant("invalid_client");
    oauthError(res, 401, "invalid_client", "client_id is missing or unknown");
    return;
  }
  if (grantType === "authorization_code") {
    const result = context.issuer.exchangeCode(
      requireString(fields, "code"),
      clientId,
      requireString(fields, "redirect_uri"),
      requireString(fields, "code_verifier"),
    );
    if (!result.ok) {
      grant(result.code);
      oauthError(res, result.status, result.code, result.message);
      return;
    }
    grant("ok");
    sendJson(res, 200, { ...tokenResponse(result.tokens), scope: DEFAULT_SCOPE });
    return;
  }
  if (grantType === "refresh_token") {
    const result = context.issuer.refresh(requireString(fields, "refresh_token"));
    if (!result.ok) {
      grant(result.code);
      sendJson(res, result.status, errorBody(result.code, result.message));
      return;
    }
    grant("ok");
    sendJson(res, 200, tokenResponse(result.tokens));
    return;
  }
  if (grantType === TOKEN_EXCHANGE_GRANT) {
    if (fields.requested_token !== "openai-api-key") {
      grant("invalid_request");
      oauthError(res, 400, "invalid_request", "requested_token must be openai-api-key");
      return;
    }
    const claims = decodeJwtClaims(requireString(fields, "subject_token"));
    if (claims === undefined || claims.iss !== context.baseUrl) {
      grant("invalid_grant");
      oauthError(res, 400, "invalid_grant", "subject_token is not an id token of this issuer");
      return;
    }
    grant("ok");
    sendJson(res, 200, {
      access_token: context.issuer.mintApiKey(),
      issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
      token_type: "Bearer",
    });
    return;
  }
  grant("unsupported_grant_type");
  oauthError(res, 400, "unsupported_grant_type", "grant_type is not supported");
}

/** `POST /oauth/revoke`: revokes the token's family; unknown tokens are accepted (RFC 7009). */
export async function handleRevoke(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
): Promise<void> {
  const fields = parseJsonOrForm(req, await readBody(req, bodyLimit(context)));
  record.body = fields;
  const token = requireString(fields, "token");
  const matched = context.issuer.revoke(token);
  context.state.append(context.state.revocations, {
    at: context.options.now(),
    tokenTypeHint: fields.token_type_hint,
    clientId: fields.client_id,
    matched,
  });
  sendJson(res, 200, {});
}

function jsonStrings(body: Buffer): Record<string, string> {
  return parseBody(deviceAuthFields, parseJsonObject(body));
}

/** Reads and records a device-auth request body; 404 while the feature is disabled. */
async function readDeviceRequest(
  context: BackendContext,
  req: IncomingMessage,
  record: RequestRecord,
): Promise<Record<string, string>> {
  const fields = jsonStrings(await readBody(req, bodyLimit(context)));
  record.body = fields;
  if (!context.options.deviceAuth.enabled) {
    throw new HttpProblem(404, "not_found", "device code login is not enabled");
  }
  return fields;
}

/** `POST /api/accounts/deviceauth/usercode`: starts a device login (404 when disabled). */
export async function handleDeviceUserCode(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
): Promise<void> {
  const fields = await readDeviceRequest(context, req, record);
  if (fields.client_id !== context.options.clientId) {
    oauthError(res, 400, "invalid_client", "client_id is missing or unknown");
    return;
  }
  const { deviceAuthId, userCode } = context.issuer.createDeviceCode();
  sendJson(res, 200, {
    device_auth_id: deviceAuthId,
    user_code: userCode,
    interval: String(context.options.deviceAuth.intervalSeconds),
  });
}

/** `POST /api/accounts/deviceauth/token`: 403 while pending, then the code and PKCE pair. */
export async function handleDeviceToken(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
): Promise<void> {
  const fields = await readDeviceRequest(context, req, record);
  const result = context.issuer.pollDevice(
    requireString(fields, "device_auth_id"),
    requireString(fields, "user_code"),
  );
  switch (result.state) {
    case "pending":
      sendJson(res, 403, errorBody("deviceauth_authorization_pending", "authorization pending"));
      return;
    case "unknown":
      sendJson(res, 400, errorBody("deviceauth_unknown", "device_auth_id or user_code is unknown"));
      return;
    case "expired":
      sendJson(res, 410, errorBody("deviceauth_expired", "the device code expired"));
      return;
    case "approved":
      sendJson(res, 200, {
        authorization_code: result.authorizationCode,
        code_challenge: result.codeChallenge,
        code_verifier: result.codeVerifier,
      });
      return;
  }
}

/** `GET /codex/device`: the page users are sent to (plain text, no UI). */
export function handleDevicePage(res: ServerResponse): void {
  const body = "Fake backend: device codes are approved automatically.\n";
  res.writeHead(200, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

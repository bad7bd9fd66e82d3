// A tiny, real OAuth issuer on 127.0.0.1 for the login end-to-end tests: authorize (auto-approve
// redirect), token (authorization_code with PKCE check, API-key token exchange), revoke, and the
// device-code endpoints. It records every request so tests can assert what went over the wire.
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { registerSecret } from "./support/capture.js";
import { sendJson, startLoopbackServer } from "./support/loopback-server.js";

/** Builds an unsigned JWT (alg none) with the given payload. */
export function fakeJwt(payload: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${enc({ alg: "none", typ: "JWT" })}.${enc(payload)}.sig`;
}

/** Secrets the issuer hands out: tests scan captured output for them. */
export interface IssuerSecrets {
  code: string;
  accessToken: string;
  refreshToken: string;
  idToken: string;
  apiKey: string;
  deviceAuthId: string;
  userCode: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface LoopbackIssuerOptions {
  accountId?: string;
  userId?: string;
  email?: string;
  /** `/oauth/authorize` redirects with `error` instead of a code. */
  authorizeError?: { error: string; description?: string };
  /** Token endpoint answers this status for the code exchange. */
  tokenStatus?: number;
  /** API-key exchange answers this status. */
  apiKeyStatus?: number;
  /** Device code endpoints disabled (404). */
  deviceCodeDisabled?: boolean;
}

export interface LoopbackIssuer {
  url: string;
  secrets: IssuerSecrets;
  requests: RecordedRequest[];
  /** Device flow: number of polls answered "pending" before the code is released. */
  devicePendingPolls: number;
  /** Device flow: answer `slow_down` on the next poll. */
  deviceSlowDownNext: boolean;
  close(): Promise<void>;
}

const json = sendJson;

export async function startLoopbackIssuer(
  options: LoopbackIssuerOptions = {},
): Promise<LoopbackIssuer> {
  const accountId = options.accountId ?? "ws-e2e";
  const tag = randomBytes(6).toString("hex");
  const secrets: IssuerSecrets = {
    code: `authcode-${tag}`,
    accessToken: fakeJwt({
      exp: 4102444800,
      "https://api.openai.com/auth": { chatgpt_plan_type: "plus", chatgpt_account_id: accountId },
      marker: `access-${tag}`,
    }),
    refreshToken: `rt-${tag}`,
    idToken: fakeJwt({
      email: options.email ?? "e2e@example.com",
      "https://api.openai.com/auth": {
        chatgpt_account_id: accountId,
        chatgpt_user_id: options.userId ?? "user-e2e",
        chatgpt_plan_type: "plus",
      },
      marker: `id-${tag}`,
    }),
    apiKey: `sk-e2e${tag}`,
    deviceAuthId: `dev-${tag}`,
    userCode: `UC-${tag.slice(0, 4)}`.toUpperCase(),
  };
  for (const value of Object.values(secrets)) registerSecret(value);
  const requests: RecordedRequest[] = [];
  const challenges = new Map<string, { challenge: string; redirectUri: string }>();
  const deviceVerifier = registerSecret(randomBytes(32).toString("base64url"));
  const issuer: LoopbackIssuer = {
    url: "",
    secrets,
    requests,
    devicePendingPolls: 0,
    deviceSlowDownNext: false,
    close: () => server.close(),
  };

  const server = await startLoopbackServer(({ req, url, body }, res) => {
    requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    });
    const q = url.searchParams;
    if (req.method === "GET" && url.pathname === "/oauth/authorize") {
      const redirect = new URL(q.get("redirect_uri") ?? "http://invalid/");
      redirect.searchParams.set("state", q.get("state") ?? "");
      if (options.authorizeError) {
        redirect.searchParams.set("error", options.authorizeError.error);
        if (options.authorizeError.description) {
          redirect.searchParams.set("error_description", options.authorizeError.description);
        }
      } else {
        redirect.searchParams.set("code", secrets.code);
        challenges.set(secrets.code, {
          challenge: q.get("code_challenge") ?? "",
          redirectUri: q.get("redirect_uri") ?? "",
        });
      }
      res.writeHead(302, { location: redirect.toString() });
      res.end();
      return;
    }
    if (req.method === "POST" && url.pathname === "/oauth/token") {
      const form = new URLSearchParams(body);
      const grant = form.get("grant_type");
      if (grant === "authorization_code") {
        if (options.tokenStatus !== undefined && options.tokenStatus !== 200) {
          json(res, options.tokenStatus, {
            error: "invalid_grant",
            error_description: "bad code",
          });
          return;
        }
        const code = form.get("code") ?? "";
        const verifier = form.get("code_verifier") ?? "";
        const expected = challenges.get(code);
        const deviceOk =
          code === `device-${secrets.code}` &&
          verifier === deviceVerifier &&
          form.get("redirect_uri") === `${issuer.url}/deviceauth/callback`;
        const browserOk =
          expected !== undefined &&
          createHash("sha256").update(verifier).digest("base64url") === expected.challenge &&
          form.get("redirect_uri") === expected.redirectUri;
        if (!deviceOk && !browserOk) {
          json(res, 400, { error: "invalid_grant", error_description: "PKCE check failed" });
          return;
        }
        json(res, 200, {
          id_token: secrets.idToken,
          access_token: secrets.accessToken,
          refresh_token: secrets.refreshToken,
        });
        return;
      }
      if (grant === "urn:ietf:params:oauth:grant-type:token-exchange") {
        if (options.apiKeyStatus !== undefined && options.apiKeyStatus !== 200) {
          json(res, options.apiKeyStatus, { error: "no_key" });
          return;
        }
        json(res, 200, { access_token: secrets.apiKey });
        return;
      }
      json(res, 400, { error: "unsupported_grant_type" });
      return;
    }
    if (req.method === "POST" && url.pathname === "/oauth/revoke") {
      json(res, 200, {});
      return;
    }
    if (req.method === "POST" && url.pathname === "/api/accounts/deviceauth/usercode") {
      if (options.deviceCodeDisabled) return json(res, 404, { error: "not_found" });
      json(res, 200, {
        device_auth_id: secrets.deviceAuthId,
        user_code: secrets.userCode,
        interval: "0",
      });
      return;
    }
    if (req.method === "POST" && url.pathname === "/api/accounts/deviceauth/token") {
      if (issuer.deviceSlowDownNext) {
        issuer.deviceSlowDownNext = false;
        return json(res, 400, { error: "slow_down" });
      }
      if (issuer.devicePendingPolls > 0) {
        issuer.devicePendingPolls--;
        return json(res, 403, { error: "authorization_pending" });
      }
      json(res, 200, {
        authorization_code: `device-${secrets.code}`,
        code_challenge: createHash("sha256").update(deviceVerifier).digest("base64url"),
        code_verifier: deviceVerifier,
      });
      return;
    }
    res.writeHead(404);
    res.end("not found");
  });
  issuer.url = server.origin;
  return issuer;
}

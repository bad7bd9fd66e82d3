import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_CLIENT_ID,
  decodeJwtClaims,
  type FakeBackend,
  startFakeBackend,
} from "../src/index.js";
import { authorize, pkcePair } from "./helpers/pkce.js";

let backend: FakeBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

const REDIRECT = "http://localhost:1455/auth/callback";

function form(fields: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

function json(body: unknown): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

async function signIn(b: FakeBackend) {
  const { verifier, challenge } = pkcePair();
  const redirect = await authorize(b.issuerUrl, {
    response_type: "code",
    client_id: DEFAULT_CLIENT_ID,
    redirect_uri: REDIRECT,
    scope: "openid profile email offline_access",
    code_challenge: challenge,
    code_challenge_method: "S256",
    id_token_add_organizations: "true",
    codex_cli_simplified_flow: "true",
    state: "state-123",
    originator: "codex_cli_rs",
  });
  const code = redirect.location?.searchParams.get("code") ?? "";
  const res = await fetch(
    `${b.issuerUrl}/oauth/token`,
    form({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      client_id: DEFAULT_CLIENT_ID,
      code_verifier: verifier,
    }),
  );
  return { res, redirect, code, verifier };
}

async function refresh(b: FakeBackend, refreshToken: string) {
  const res = await fetch(
    `${b.issuerUrl}/oauth/token`,
    json({
      client_id: DEFAULT_CLIENT_ID,
      grant_type: "refresh_token",
      refresh_token: refreshToken,
    }),
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("OAuth issuer", () => {
  it("completes an authorization-code + PKCE round trip with upstream claims", async () => {
    backend = await startFakeBackend({
      account: {
        email: "ana@example.com",
        planType: "pro",
        chatgptAccountId: "ws-9",
        workspaceName: "Acme",
      },
    });
    const { res, redirect } = await signIn(backend);
    expect(redirect.status).toBe(302);
    expect(redirect.location?.origin).toBe("http://localhost:1455");
    expect(redirect.location?.pathname).toBe("/auth/callback");
    expect(redirect.location?.searchParams.get("state")).toBe("state-123");
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Record<string, string>;
    expect(Object.keys(tokens)).toEqual(
      expect.arrayContaining(["id_token", "access_token", "refresh_token"]),
    );
    const id = decodeJwtClaims(tokens.id_token!)!;
    expect(id.email).toBe("ana@example.com");
    expect(id.iss).toBe(backend.issuerUrl);
    expect(id["https://api.openai.com/auth"]).toMatchObject({
      chatgpt_account_id: "ws-9",
      chatgpt_plan_type: "pro",
      chatgpt_user_id: "user-fake-0001",
      chatgpt_account_is_fedramp: false,
      organizations: [expect.objectContaining({ title: "Acme" })],
    });
    const access = decodeJwtClaims(tokens.access_token!)!;
    expect(access["https://api.openai.com/auth"]).toMatchObject({ chatgpt_plan_type: "pro" });
    expect(typeof access.exp).toBe("number");
    expect(backend.state.tokenGrants).toEqual([
      expect.objectContaining({ grantType: "authorization_code", outcome: "ok" }),
    ]);
    expect(backend.state.lastRequest("oauth.authorize")?.body).toMatchObject({
      originator: "codex_cli_rs",
    });
  });

  it("rejects a wrong verifier, a reused code and a mismatched redirect", async () => {
    backend = await startFakeBackend();
    const b = backend;
    const { challenge } = pkcePair();
    const params = {
      response_type: "code",
      client_id: DEFAULT_CLIENT_ID,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: "S256",
      state: "s",
    };
    const code1 = (await authorize(b.issuerUrl, params)).location!.searchParams.get("code")!;
    const wrong = await fetch(
      `${b.issuerUrl}/oauth/token`,
      form({
        grant_type: "authorization_code",
        code: code1,
        redirect_uri: REDIRECT,
        client_id: DEFAULT_CLIENT_ID,
        code_verifier: pkcePair().verifier,
      }),
    );
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({
      error: "invalid_grant",
      error_description: "code_verifier does not match the code_challenge",
    });

    const { res, code } = await signIn(b);
    expect(res.status).toBe(200);
    const again = await fetch(
      `${b.issuerUrl}/oauth/token`,
      form({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        client_id: DEFAULT_CLIENT_ID,
        code_verifier: pkcePair().verifier,
      }),
    );
    expect(again.status).toBe(400);

    const pair = pkcePair();
    const code3 = (
      await authorize(b.issuerUrl, { ...params, code_challenge: pair.challenge })
    ).location!.searchParams.get("code")!;
    const otherRedirect = await fetch(
      `${b.issuerUrl}/oauth/token`,
      form({
        grant_type: "authorization_code",
        code: code3,
        redirect_uri: "http://localhost:9/cb",
        client_id: DEFAULT_CLIENT_ID,
        code_verifier: pair.verifier,
      }),
    );
    expect(otherRedirect.status).toBe(400);
  });

  it("redirects authorize errors back and refuses bad authorize requests", async () => {
    backend = await startFakeBackend({
      authorizeError: { error: "access_denied", errorDescription: "missing_codex_entitlement" },
    });
    const { challenge } = pkcePair();
    const base = {
      response_type: "code",
      client_id: DEFAULT_CLIENT_ID,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: "S256",
      state: "s1",
    };
    const denied = await authorize(backend.issuerUrl, base);
    expect(denied.location?.searchParams.get("error")).toBe("access_denied");
    expect(denied.location?.searchParams.get("error_description")).toBe(
      "missing_codex_entitlement",
    );
    expect(denied.location?.searchParams.get("state")).toBe("s1");

    const plain = await authorize(backend.issuerUrl, { ...base, code_challenge_method: "plain" });
    expect(plain.location?.searchParams.get("error")).toBe("invalid_request");
    expect((await authorize(backend.issuerUrl, { ...base, client_id: "other" })).status).toBe(400);
    expect(
      (await authorize(backend.issuerUrl, { ...base, redirect_uri: "https://evil.example/cb" }))
        .status,
    ).toBe(400);
    expect(
      (await authorize(backend.issuerUrl, { ...base, redirect_uri: "not a url" })).status,
    ).toBe(400);
  });

  it("refuses the code exchange and the API-key exchange with the configured tokenErrors", async () => {
    backend = await startFakeBackend({
      tokenErrors: {
        authorizationCode: { status: 400, error: "invalid_grant", errorDescription: "bad code" },
        tokenExchange: { status: 403, error: "no_key" },
      },
    });
    const { res } = await signIn(backend);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "invalid_grant", error_description: "bad code" });
    const exchange = await fetch(
      `${backend.issuerUrl}/oauth/token`,
      form({
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        client_id: DEFAULT_CLIENT_ID,
        requested_token: "openai-api-key",
        subject_token: backend.issueTokens().idToken,
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      }),
    );
    expect(exchange.status).toBe(403);
    expect(await exchange.json()).toEqual({ error: "no_key", error_description: "no_key" });
    // other grants are untouched
    expect((await refresh(backend, backend.issueTokens().refreshToken)).status).toBe(200);
    expect(backend.state.tokenGrants.map((g) => [g.grantType, g.outcome])).toEqual([
      ["authorization_code", "invalid_grant"],
      ["urn:ietf:params:oauth:grant-type:token-exchange", "no_key"],
      ["refresh_token", "ok"],
    ]);
  });

  it("rotates refresh tokens and answers refresh_token_reused on reuse, revoking the family", async () => {
    backend = await startFakeBackend();
    const tokens = (await (await signIn(backend)).res.json()) as Record<string, string>;
    const first = await refresh(backend, tokens.refresh_token!);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(typeof first.body.id_token).toBe("string");

    const reused = await refresh(backend, tokens.refresh_token!);
    expect(reused).toEqual({
      status: 401,
      body: {
        error: {
          message:
            "Your refresh token has already been used to generate a new access token. Please try signing in again.",
          type: "invalid_request_error",
          param: null,
          code: "refresh_token_reused",
        },
      },
    });
    // Reuse revokes the whole family: the rotated token is dead too.
    const afterReuse = await refresh(backend, String(first.body.refresh_token));
    expect(afterReuse.status).toBe(401);
    expect((afterReuse.body.error as Record<string, unknown>).code).toBe(
      "refresh_token_invalidated",
    );
    expect(backend.state.tokenGrants.map((g) => g.outcome)).toEqual([
      "ok",
      "ok",
      "refresh_token_reused",
      "refresh_token_invalidated",
    ]);
  });

  it("expires refresh tokens and access tokens on the injected clock", async () => {
    let now = Date.UTC(2026, 3, 20, 8, 0, 0);
    backend = await startFakeBackend({
      now: () => now,
      accessTokenTtlSeconds: 60,
      refreshTokenTtlSeconds: 120,
    });
    const tokens = backend.issueTokens();
    const call = () =>
      fetch(`${backend!.chatgptBaseUrl}/codex/responses`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${tokens.accessToken}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ model: "m", input: [] }),
      });
    expect((await call()).status).toBe(200);
    now += 61_000;
    const expired = await call();
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe(
      "token_expired",
    );
    now += 60_000;
    const late = await refresh(backend, tokens.refreshToken);
    expect(late.status).toBe(401);
    expect((late.body.error as Record<string, unknown>).code).toBe("refresh_token_expired");
  });

  it("revokes tokens (JSON body, unknown tokens accepted)", async () => {
    backend = await startFakeBackend();
    const tokens = backend.issueTokens();
    const res = await fetch(
      `${backend.issuerUrl}/oauth/revoke`,
      json({
        token: tokens.refreshToken,
        token_type_hint: "refresh_token",
        client_id: DEFAULT_CLIENT_ID,
      }),
    );
    expect(res.status).toBe(200);
    const unknown = await fetch(
      `${backend.issuerUrl}/oauth/revoke`,
      json({ token: "nope", token_type_hint: "access_token" }),
    );
    expect(unknown.status).toBe(200);
    expect(backend.state.revocations.map((r) => [r.matched, r.tokenTypeHint, r.clientId])).toEqual([
      ["refresh_token", "refresh_token", DEFAULT_CLIENT_ID],
      ["unknown", "access_token", undefined],
    ]);
    const after = await refresh(backend, tokens.refreshToken);
    expect((after.body.error as Record<string, unknown>).code).toBe("refresh_token_invalidated");
    const missing = await fetch(`${backend.issuerUrl}/oauth/revoke`, json({}));
    expect(missing.status).toBe(400);
  });

  it("runs the device-code flow: usercode, pending polls, code exchange", async () => {
    backend = await startFakeBackend({ deviceAuth: { pendingPolls: 2, intervalSeconds: 5 } });
    const start = await fetch(
      `${backend.issuerUrl}/api/accounts/deviceauth/usercode`,
      json({ client_id: DEFAULT_CLIENT_ID }),
    );
    const { device_auth_id, user_code, interval } = (await start.json()) as Record<string, string>;
    expect(interval).toBe("5");
    expect(user_code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const poll = () =>
      fetch(
        `${backend!.issuerUrl}/api/accounts/deviceauth/token`,
        json({ device_auth_id, user_code }),
      );
    expect((await poll()).status).toBe(403);
    expect((await poll()).status).toBe(403);
    const approved = (await (await poll()).json()) as Record<string, string>;
    const exchange = await fetch(
      `${backend.issuerUrl}/oauth/token`,
      form({
        grant_type: "authorization_code",
        code: approved.authorization_code!,
        redirect_uri: `${backend.issuerUrl}/deviceauth/callback`,
        client_id: DEFAULT_CLIENT_ID,
        code_verifier: approved.code_verifier!,
      }),
    );
    expect(exchange.status).toBe(200);
    expect((await poll()).status).toBe(400);
    expect((await fetch(`${backend.issuerUrl}/codex/device`)).status).toBe(200);
  });

  it("answers slow_down on the first slowDownPolls polls, then pending, then approves", async () => {
    backend = await startFakeBackend({ deviceAuth: { slowDownPolls: 1, pendingPolls: 1 } });
    const start = await fetch(
      `${backend.issuerUrl}/api/accounts/deviceauth/usercode`,
      json({ client_id: DEFAULT_CLIENT_ID }),
    );
    const { device_auth_id, user_code } = (await start.json()) as Record<string, string>;
    const poll = () =>
      fetch(
        `${backend!.issuerUrl}/api/accounts/deviceauth/token`,
        json({ device_auth_id, user_code }),
      );
    const slow = await poll();
    expect(slow.status).toBe(400);
    expect(await slow.json()).toEqual({
      error: "slow_down",
      error_description: "polling too fast",
    });
    expect((await poll()).status).toBe(403);
    const approved = await poll();
    expect(approved.status).toBe(200);
    expect(Object.keys((await approved.json()) as object)).toEqual([
      "authorization_code",
      "code_challenge",
      "code_verifier",
    ]);
  });

  it("answers 404 on device code when disabled", async () => {
    backend = await startFakeBackend({ deviceAuth: { enabled: false } });
    const res = await fetch(
      `${backend.issuerUrl}/api/accounts/deviceauth/usercode`,
      json({ client_id: DEFAULT_CLIENT_ID }),
    );
    expect(res.status).toBe(404);
  });

  it("exchanges an id token for an API key accepted by /v1/responses", async () => {
    backend = await startFakeBackend({ apiKeys: [] });
    const tokens = backend.issueTokens();
    const res = await fetch(
      `${backend.issuerUrl}/oauth/token`,
      form({
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        client_id: DEFAULT_CLIENT_ID,
        requested_token: "openai-api-key",
        subject_token: tokens.idToken,
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      }),
    );
    const key = ((await res.json()) as { access_token: string }).access_token;
    expect(key.startsWith("sk-fake-")).toBe(true);
    const call = (bearer: string) =>
      fetch(`${backend!.openaiBaseUrl}/responses`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "m", input: [] }),
      });
    expect((await call(key)).status).toBe(200);
    expect((await call("sk-other")).status).toBe(401);
  });

  it.each([
    ["invalid JSON", { "content-type": "application/json" }, "{nope", 400, "invalid_json"],
    ["JSON array", { "content-type": "application/json" }, "[1]", 400, "invalid_json"],
    [
      "non-string field",
      { "content-type": "application/json" },
      '{"grant_type":1}',
      400,
      "invalid_request",
    ],
    ["missing grant_type", { "content-type": "application/json" }, "{}", 400, "invalid_request"],
    ["unknown content type", { "content-type": "text/plain" }, "x", 415, "unsupported_media_type"],
    [
      "oversized body",
      { "content-type": "application/json" },
      `{"a":"${"x".repeat(70_000)}"}`,
      413,
      "body_too_large",
    ],
  ])(
    "answers malformed token requests (%s) with a JSON 4xx",
    async (_name, headers, body, status, code) => {
      backend = await startFakeBackend();
      const res = await fetch(`${backend.issuerUrl}/oauth/token`, {
        method: "POST",
        headers,
        body,
      });
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
      // Still serving after the bad request.
      expect((await fetch(`${backend.issuerUrl}/oauth/revoke`, json({ token: "t" }))).status).toBe(
        200,
      );
    },
  );

  it("answers unknown grants, clients and paths with JSON errors", async () => {
    backend = await startFakeBackend();
    const grant = await fetch(
      `${backend.issuerUrl}/oauth/token`,
      form({ grant_type: "password", client_id: DEFAULT_CLIENT_ID }),
    );
    expect(grant.status).toBe(400);
    const client = await fetch(
      `${backend.issuerUrl}/oauth/token`,
      form({ grant_type: "refresh_token", client_id: "x" }),
    );
    expect(client.status).toBe(401);
    const missing = await fetch(`${backend.url}/nope`);
    expect(missing.status).toBe(404);
    const method = await fetch(`${backend.issuerUrl}/oauth/token`);
    expect(method.status).toBe(405);
  });
});

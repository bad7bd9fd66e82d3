import { createHttpClient, HttpError } from "@codex/http";
import { Secret } from "@codex/wire";
import { delay, HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { expectLoginError, registerSecret } from "../test/support/capture.js";
import { useMswServer } from "../test/support/msw.js";
import type { LoginErrorCode } from "./errors.js";
import {
  CLIENT_ID,
  classifyRefreshFailure,
  exchangeAuthorizationCode,
  exchangeIdTokenForApiKey,
  refreshTarget,
  refreshTokens,
  refreshTokenUrl,
  tokenEndpointUrl,
} from "./token-endpoint.js";

const { server, unhandled } = useMswServer();
const URL_ = "https://auth.openai.com/oauth/token";
const RT = new Secret(registerSecret("rt-endpoint-SECRET-1"));
const client = createHttpClient();

describe("refreshTokens (msw, real request code)", () => {
  it("posts the upstream JSON body and returns the new tokens", async () => {
    let seen: { body: unknown; type: string | null } | undefined;
    server.use(
      http.post(URL_, async ({ request }) => {
        seen = { body: await request.json(), type: request.headers.get("content-type") };
        return HttpResponse.json({
          id_token: "new-id",
          access_token: registerSecret("at-endpoint-SECRET-new"),
          refresh_token: registerSecret("rt-endpoint-SECRET-new"),
        });
      }),
    );
    const tokens = await refreshTokens(RT, { http: client });
    expect(seen).toEqual({
      body: {
        client_id: CLIENT_ID,
        grant_type: "refresh_token",
        refresh_reason: "forced",
        refresh_token: RT.reveal(),
      },
      type: "application/json",
    });
    expect(tokens.accessToken?.reveal()).toBe("at-endpoint-SECRET-new");
    expect(tokens.refreshToken?.reveal()).toBe("rt-endpoint-SECRET-new");
    expect(tokens.idToken?.reveal()).toBe("new-id");
  });

  it.each(["forced", "proactive_expiry"] as const)(
    "sends refresh_reason %s in upstream 0.169's body order",
    async (reason) => {
      let text = "";
      server.use(
        http.post(URL_, async ({ request }) => {
          text = await request.text();
          return HttpResponse.json({ access_token: "at-reason" });
        }),
      );
      await refreshTokens(RT, { http: client, refreshReason: reason, clientId: "app_x" });
      expect(text).toBe(
        `{"client_id":"app_x","grant_type":"refresh_token","refresh_reason":"${reason}","refresh_token":"${RT.reveal()}"}`,
      );
    },
  );

  it("accepts a partial answer (only an access token)", async () => {
    server.use(http.post(URL_, () => HttpResponse.json({ access_token: "at-only" })));
    const tokens = await refreshTokens(RT, { http: client });
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.accessToken?.reveal()).toBe("at-only");
  });

  const permanent: Array<[number, Record<string, unknown> | string, LoginErrorCode]> = [
    [401, { error: { code: "refresh_token_expired" } }, "refresh_token_expired"],
    [401, { error: "refresh_token_reused" }, "refresh_token_reused"],
    [401, { code: "REFRESH_TOKEN_INVALIDATED" }, "refresh_token_revoked"],
    [401, { error: { code: "something_else" } }, "refresh_token_rejected"],
    [401, "plain text", "refresh_token_rejected"],
    [400, { error: { code: "refresh_token_reused" } }, "refresh_token_reused"],
  ];
  it.each(permanent)("status %i %j is permanent (%s)", async (status, body, code) => {
    server.use(
      http.post(URL_, () =>
        typeof body === "string"
          ? new HttpResponse(body, { status })
          : HttpResponse.json(body, { status }),
      ),
    );
    const err = await expectLoginError(refreshTokens(RT, { http: client }), code);
    expect(err.permanent).toBe(true);
    expect(err.status).toBe(status);
  });

  it("400 with another code and 500 are transient with upstream's message", async () => {
    server.use(
      http.post(URL_, () =>
        HttpResponse.json({ error: { code: "invalid_request", message: "bad" } }, { status: 400 }),
      ),
    );
    const a = await expectLoginError(refreshTokens(RT, { http: client }), "refresh_failed");
    expect(a.message).toBe("Failed to refresh token: 400 Bad Request: bad");
    expect(a.permanent).toBe(false);
    server.use(http.post(URL_, () => new HttpResponse(null, { status: 500 })));
    const b = await expectLoginError(refreshTokens(RT, { http: client }), "refresh_failed");
    expect(b.message).toBe("Failed to refresh token: 500 Internal Server Error: Unknown error");
  });

  it("an HTML error page is transient and not dumped whole into the message", async () => {
    const html = `<html><body>${"x".repeat(5000)}</body></html>`;
    server.use(http.post(URL_, () => HttpResponse.html(html, { status: 502 })));
    const err = await expectLoginError(refreshTokens(RT, { http: client }), "refresh_failed");
    expect(err.message.length).toBeLessThan(400);
    expect(err.message).toContain("502 Bad Gateway");
  });

  it("a server echoing the refresh token back never puts it in the error", async () => {
    server.use(
      http.post(URL_, () => new HttpResponse(`bad token ${RT.reveal()} here`, { status: 500 })),
    );
    const err = await expectLoginError(refreshTokens(RT, { http: client }), "refresh_failed");
    expect(err.message).toBe(
      "Failed to refresh token: 500 Internal Server Error: bad token [REDACTED] here",
    );
  });

  it("a 200 with HTML or wrong field types is transient", async () => {
    server.use(http.post(URL_, () => HttpResponse.html("<html>ok</html>")));
    await expectLoginError(refreshTokens(RT, { http: client }), "refresh_failed");
    server.use(http.post(URL_, () => HttpResponse.json({ access_token: 12 })));
    await expectLoginError(refreshTokens(RT, { http: client }), "refresh_failed");
    server.use(http.post(URL_, () => HttpResponse.json([1])));
    await expectLoginError(refreshTokens(RT, { http: client }), "refresh_failed");
  });

  it("a timeout is transient and wraps the HttpError", async () => {
    server.use(
      http.post(URL_, async () => {
        await delay("infinite");
        return HttpResponse.json({});
      }),
    );
    const err = await expectLoginError(
      refreshTokens(RT, { http: client, timeoutMs: 50 }),
      "refresh_failed",
    );
    expect(err.cause).toBeInstanceOf(HttpError);
    expect((err.cause as HttpError).code).toBe("timeout");
  });

  it("network down is transient", async () => {
    server.use(http.post(URL_, () => HttpResponse.error()));
    const err = await expectLoginError(refreshTokens(RT, { http: client }), "refresh_failed");
    expect((err.cause as HttpError).code).toBe("network");
  });

  it("a request msw does not handle fails instead of reaching the network", async () => {
    const before = unhandled.length;
    await expectLoginError(
      refreshTokens(RT, { http: client, url: "https://auth.openai.com/not-handled" }),
      "refresh_failed",
    );
    expect(unhandled.slice(before)).toEqual(["POST https://auth.openai.com/not-handled"]);
  });

  it("an empty refresh token is rejected without a request", async () => {
    await expectLoginError(
      refreshTokens(new Secret(""), { http: client }),
      "refresh_token_rejected",
    );
  });

  it("honours CODEX_REFRESH_TOKEN_URL_OVERRIDE and custom issuers", () => {
    expect(refreshTokenUrl({ CODEX_REFRESH_TOKEN_URL_OVERRIDE: "http://127.0.0.1:9/x" })).toBe(
      "http://127.0.0.1:9/x",
    );
    expect(refreshTokenUrl({})).toBe(URL_);
    expect(tokenEndpointUrl("http://127.0.0.1:5/")).toBe("http://127.0.0.1:5/oauth/token");
  });

  it("classifies without a response object too", () => {
    expect(classifyRefreshFailure(503, "").message).toBe(
      "Failed to refresh token: 503 Service Unavailable: Unknown error",
    );
  });
});

describe("exchangeAuthorizationCode (msw)", () => {
  const code = new Secret(registerSecret("authcode-SECRET-1"));
  const verifier = new Secret(registerSecret("verifier-SECRET-1"));
  const params = {
    http: client,
    issuer: "https://issuer.test",
    code,
    codeVerifier: verifier,
    redirectUri: "http://localhost:1455/auth/callback",
  };

  it("posts the form and returns the three tokens", async () => {
    let form: string | undefined;
    server.use(
      http.post("https://issuer.test/oauth/token", async ({ request }) => {
        form = await request.text();
        return HttpResponse.json({ id_token: "i", access_token: "a", refresh_token: "r" });
      }),
    );
    const tokens = await exchangeAuthorizationCode(params);
    expect(form).toBe(
      `grant_type=authorization_code&code=authcode-SECRET-1&redirect_uri=${encodeURIComponent(
        "http://localhost:1455/auth/callback",
      )}&client_id=${CLIENT_ID}&code_verifier=verifier-SECRET-1`,
    );
    expect(tokens.refreshToken.reveal()).toBe("r");
  });

  it.each([
    [{ error_description: "desc", error: "e" }, "desc"],
    [{ error: { message: "msg", code: "c" } }, "msg"],
    [{ error: "invalid_grant" }, "invalid_grant"],
    [{ error: { code: "c" } }, "c"],
    [{ unexpected: true }, '{"unexpected":true}'],
    [
      "<html><body>Bad   gateway\n page</body></html>",
      "<html><body>Bad gateway page</body></html>",
    ],
  ])("reports %j as 'token endpoint returned status 400 Bad Request: %s'", async (body, detail) => {
    server.use(
      http.post("https://issuer.test/oauth/token", () =>
        typeof body === "string"
          ? new HttpResponse(body, { status: 400, headers: { "content-type": "text/html" } })
          : HttpResponse.json(body, { status: 400 }),
      ),
    );
    const err = await expectLoginError(exchangeAuthorizationCode(params), "token_exchange_failed");
    expect(err.message).toBe(`token endpoint returned status 400 Bad Request: ${detail}`);
    expect(err.status).toBe(400);
  });

  it("never echoes the code or verifier a server reflected", async () => {
    server.use(
      http.post("https://issuer.test/oauth/token", () =>
        HttpResponse.json(
          { error_description: `code ${code.reveal()} / ${verifier.reveal()} rejected` },
          { status: 400 },
        ),
      ),
    );
    const err = await expectLoginError(exchangeAuthorizationCode(params), "token_exchange_failed");
    expect(err.message).toBe(
      "token endpoint returned status 400 Bad Request: code [REDACTED] / [REDACTED] rejected",
    );
  });

  it("reports an empty error body and a reply missing a token", async () => {
    server.use(
      http.post("https://issuer.test/oauth/token", () => new HttpResponse("", { status: 500 })),
    );
    const err = await expectLoginError(exchangeAuthorizationCode(params), "token_exchange_failed");
    expect(err.message).toBe(
      "token endpoint returned status 500 Internal Server Error: unknown error",
    );
    server.use(
      http.post("https://issuer.test/oauth/token", () =>
        HttpResponse.json({ id_token: "i", access_token: "a" }),
      ),
    );
    await expectLoginError(exchangeAuthorizationCode(params), "token_exchange_failed");
  });

  it("exchanges an id token for an API key", async () => {
    let form: URLSearchParams | undefined;
    server.use(
      http.post("https://issuer.test/oauth/token", async ({ request }) => {
        form = new URLSearchParams(await request.text());
        return HttpResponse.json({ access_token: registerSecret("sk-exchanged-SECRET") });
      }),
    );
    const key = await exchangeIdTokenForApiKey({
      http: client,
      issuer: "https://issuer.test",
      idToken: new Secret("id-token-value"),
    });
    expect(key.reveal()).toBe("sk-exchanged-SECRET");
    expect(Object.fromEntries(form!)).toEqual({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      client_id: CLIENT_ID,
      requested_token: "openai-api-key",
      subject_token: "id-token-value",
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    });
  });
});

describe("refreshTarget (upstream 0.169's URL and client id precedence)", () => {
  const configured = { issuer: "https://auth.openai.com", clientId: CLIENT_ID };
  const provenance = { issuer: "http://127.0.0.1:4444/iss", clientId: "app_provenance" };
  const override = { CODEX_REFRESH_TOKEN_URL_OVERRIDE: " http://127.0.0.1:5555/token " };

  it("goes to the provenance issuer (its path kept) with the provenance client id", () => {
    expect(refreshTarget({ env: {}, ...configured, provenance })).toEqual({
      url: "http://127.0.0.1:4444/iss/oauth/token",
      clientId: "app_provenance",
    });
  });

  it("the env override wins the URL, the provenance client id is still sent", () => {
    expect(refreshTarget({ env: override, ...configured, provenance })).toEqual({
      url: "http://127.0.0.1:5555/token",
      clientId: "app_provenance",
    });
  });

  it("an explicit refresh URL wins like the override", () => {
    const explicitUrl = "http://127.0.0.1:6666/t";
    expect(refreshTarget({ env: override, explicitUrl, ...configured, provenance })).toEqual({
      url: explicitUrl,
      clientId: "app_provenance",
    });
  });

  it("without provenance: the configured issuer and client id", () => {
    expect(
      refreshTarget({ env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: "  " }, ...configured }),
    ).toEqual({ url: URL_, clientId: CLIENT_ID });
    expect(
      refreshTarget({ env: {}, issuer: "https://issuer.example/", clientId: "app_conf" }),
    ).toEqual({ url: "https://issuer.example/oauth/token", clientId: "app_conf" });
  });

  it.each(["file:///etc/passwd", "not a url", ""])(
    "refuses a provenance issuer that is not http(s): %j",
    async (issuer) => {
      const err = await expectLoginError(
        () => refreshTarget({ env: {}, ...configured, provenance: { issuer, clientId: "x" } }),
        "refresh_failed",
      );
      expect(err.permanent).toBe(false);
    },
  );
});

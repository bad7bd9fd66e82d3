import { createHttpClient } from "@codex/http";
import { Secret } from "@codex/wire";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { captureLogger } from "../../test/e2e-capture.js";
import { captureError, registerSecret } from "../../test/support/capture.js";
import { useMswServer } from "../../test/support/msw.js";
import type { AuthDotJson } from "../auth-dot-json.js";
import { LoginError } from "../errors.js";
import { parseIdToken } from "../id-token.js";
import { encodeJwt } from "../testing/index.js";
import {
  DEFAULT_REVOKE_URL,
  revokeAuthTokens,
  revokeAuthTokensBestEffort,
  revokeUrlFor,
} from "./revoke.js";

const { server } = useMswServer();

const REFRESH = registerSecret("rt-revoke-secret-1");
const ACCESS = registerSecret("at-revoke-secret-1");

function chatgpt(refresh: string, mode?: AuthDotJson["authMode"]): AuthDotJson {
  return {
    authMode: mode,
    openaiApiKey: null,
    tokens: {
      idToken: parseIdToken(encodeJwt({ email: "a@b.c" })),
      accessToken: new Secret(ACCESS),
      refreshToken: new Secret(refresh),
      accountId: "ws",
    },
    lastRefresh: "2026-01-01T00:00:00Z",
  };
}

function record(url = DEFAULT_REVOKE_URL, reply: () => Response = () => HttpResponse.json({})) {
  const bodies: unknown[] = [];
  server.use(
    http.post(url, async ({ request }) => {
      bodies.push({ type: request.headers.get("content-type"), body: await request.json() });
      return reply();
    }),
  );
  return bodies;
}

const client = createHttpClient();

describe("revokeAuthTokens", () => {
  it("revokes the refresh token with its hint and the client id", async () => {
    const bodies = record();
    await expect(revokeAuthTokens(chatgpt(REFRESH), { http: client, env: {} })).resolves.toBe(
      "revoked_refresh_token",
    );
    expect(bodies).toEqual([
      {
        type: "application/json",
        body: {
          token: REFRESH,
          token_type_hint: "refresh_token",
          client_id: "app_EMoamEEZ73f0CkXaXp7hrann",
        },
      },
    ]);
  });

  it("falls back to the access token (no client id) when the refresh token is empty", async () => {
    const bodies = record();
    await expect(revokeAuthTokens(chatgpt(""), { http: client, env: {} })).resolves.toBe(
      "revoked_access_token",
    );
    expect(bodies).toEqual([
      { type: "application/json", body: { token: ACCESS, token_type_hint: "access_token" } },
    ]);
  });

  it("never revokes API keys, host-owned tokens or nothing", async () => {
    const apiKey: AuthDotJson = { authMode: "apikey", openaiApiKey: new Secret("sk-abcdefgh") };
    for (const auth of [undefined, apiKey, chatgpt(REFRESH, "chatgptAuthTokens")]) {
      await expect(revokeAuthTokens(auth, { http: client, env: {} })).resolves.toBe(
        "nothing_to_revoke",
      );
    }
  });

  it("reports a non-2xx reply as revoke_failed with status and message, never the token", async () => {
    record(DEFAULT_REVOKE_URL, () =>
      HttpResponse.json({ error: { message: "token unknown" } }, { status: 400 }),
    );
    const err = await revokeAuthTokens(chatgpt(REFRESH), { http: client, env: {} }).catch(
      (e: unknown) => e,
    );
    captureError(err);
    expect(err).toBeInstanceOf(LoginError);
    expect(err).toMatchObject({
      code: "revoke_failed",
      status: 400,
      message: "failed to revoke refresh_token: 400 Bad Request: token unknown",
    });
  });

  it("scrubs the revoked token from an error body that echoes it", async () => {
    server.use(
      http.post(DEFAULT_REVOKE_URL, async ({ request }) => {
        const { token } = (await request.json()) as { token: string };
        return HttpResponse.json({ error_description: `unknown token ${token}` }, { status: 400 });
      }),
    );
    const err = await revokeAuthTokens(chatgpt(REFRESH), { http: client, env: {} }).catch(
      (e: unknown) => e,
    );
    captureError(err);
    expect(err).toMatchObject({
      code: "revoke_failed",
      message: "failed to revoke refresh_token: 400 Bad Request: unknown token [REDACTED]",
    });
  });

  it("maps transport failures to revoke_failed", async () => {
    server.use(http.post(DEFAULT_REVOKE_URL, () => HttpResponse.error()));
    const err = await revokeAuthTokens(chatgpt(REFRESH), { http: client, env: {} }).catch(
      (e: unknown) => e,
    );
    captureError(err);
    expect(err).toMatchObject({
      code: "revoke_failed",
      message: "failed to revoke refresh_token: request failed (network)",
    });
  });

  it("best effort logs the failure and swallows it", async () => {
    record(DEFAULT_REVOKE_URL, () => new HttpResponse("", { status: 503 }));
    const log = captureLogger();
    await expect(
      revokeAuthTokensBestEffort(chatgpt(REFRESH), {
        http: client,
        env: {},
        logger: log.logger,
        context: "failed to revoke auth tokens during logout",
      }),
    ).resolves.toBe("failed");
    expect(log.lines).toEqual([
      "warn failed to revoke auth tokens during logout: failed to revoke refresh_token: 503 Service Unavailable: Unknown error {}",
    ]);
  });
});

describe("revokeAuthTokens bad input", () => {
  it.each([
    [chatgpt(REFRESH), {}],
    [chatgpt(REFRESH), null],
    [chatgpt(REFRESH), { http: {} }],
    ["auth", { http: client }],
    [null, { http: client }],
  ])("rejects %#", async (auth, options) => {
    await expect(
      revokeAuthTokens(auth as AuthDotJson, options as Parameters<typeof revokeAuthTokens>[1]),
    ).rejects.toMatchObject({ code: "invalid_argument" });
  });
});

describe("revokeUrlFor", () => {
  it.each([
    [
      { revokeUrl: "http://x.test/r", env: { CODEX_REVOKE_TOKEN_URL_OVERRIDE: "http://y.test/" } },
      "http://x.test/r",
    ],
    [
      { env: { CODEX_REVOKE_TOKEN_URL_OVERRIDE: " http://y.test/revoke " } },
      "http://y.test/revoke",
    ],
    [
      { env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: "http://z.test/oauth/token?x=1#f" } },
      "http://z.test/oauth/revoke",
    ],
    [
      { env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: "not a url" }, issuer: "http://i.test/" },
      "http://i.test/oauth/revoke",
    ],
    [{ env: {} }, "https://auth.openai.com/oauth/revoke"],
  ])("%j → %s", (options, url) => {
    expect(revokeUrlFor(options)).toBe(url);
  });
});

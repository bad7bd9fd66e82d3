import { createHttpClient, Secret } from "@codex/http";
import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { captureError, registerSecret } from "../../test/support/capture.js";
import { LoginError } from "../errors.js";
import { exchangeCodeForTokens, obtainApiKey, tokenEndpointErrorDetail } from "./code-exchange.js";

const ISSUER = "https://issuer.exchange.test";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const CODE = new Secret(registerSecret("code-exchange-secret"));
const VERIFIER = new Secret(registerSecret("verifier-exchange-secret"));
const ID = registerSecret("idtoken-exchange-secret");
const client = createHttpClient();

function request(signal?: AbortSignal) {
  return {
    http: client,
    issuer: `${ISSUER}/`,
    clientId: "cid",
    code: CODE,
    codeVerifier: VERIFIER,
    redirectUri: "http://localhost:1455/auth/callback",
    signal,
  };
}

async function fails(p: Promise<unknown>): Promise<LoginError> {
  const err = await p.catch((e: unknown) => e);
  captureError(err);
  expect(err).toBeInstanceOf(LoginError);
  const text = `${(err as Error).message} ${JSON.stringify(err)}`;
  for (const s of [CODE.reveal(), VERIFIER.reveal(), ID]) expect(text).not.toContain(s);
  return err as LoginError;
}

describe("exchangeCodeForTokens", () => {
  it("posts the form in upstream's order and returns the three tokens", async () => {
    let form = "";
    server.use(
      http.post(`${ISSUER}/oauth/token`, async ({ request }) => {
        form = await request.text();
        return HttpResponse.json({ id_token: ID, access_token: "at", refresh_token: "rt" });
      }),
    );
    const tokens = await exchangeCodeForTokens(request());
    expect(tokens.idToken.reveal()).toBe(ID);
    expect(form).toBe(
      `grant_type=authorization_code&code=${CODE.reveal()}&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback&client_id=cid&code_verifier=${VERIFIER.reveal()}`,
    );
  });

  it.each([
    [400, { error_description: "desc", error: "e" }, "token endpoint returned status 400: desc"],
    [401, { error: { message: "msg", code: "c" } }, "token endpoint returned status 401: msg"],
    [403, { error: "plain" }, "token endpoint returned status 403: plain"],
    [409, { error: { code: "only_code" } }, "token endpoint returned status 409: only_code"],
    [500, "<html>oops</html>", "token endpoint returned status 500: <html>oops</html>"],
    [502, "", "token endpoint returned status 502: unknown error"],
  ])("status %d → detail", async (status, body, message) => {
    server.use(
      http.post(`${ISSUER}/oauth/token`, () =>
        typeof body === "string"
          ? new HttpResponse(body, { status })
          : HttpResponse.json(body, { status }),
      ),
    );
    const err = await fails(exchangeCodeForTokens(request()));
    expect(err).toMatchObject({ code: "token_exchange_failed", status, message });
  });

  it.each([
    [
      "HTML on 200",
      () => new HttpResponse("<html>", { status: 200 }),
      "token endpoint returned a body that is not JSON",
    ],
    ["an array", () => HttpResponse.json([1]), "token endpoint returned a non-object body"],
    [
      "a missing refresh token",
      () => HttpResponse.json({ id_token: ID, access_token: "a" }),
      "token endpoint reply lacks refresh_token",
    ],
    ["a network error", () => HttpResponse.error(), "token endpoint request failed (network)"],
  ])("rejects %s", async (_n, reply, message) => {
    server.use(http.post(`${ISSUER}/oauth/token`, reply));
    const err = await fails(exchangeCodeForTokens(request()));
    expect(err).toMatchObject({ code: "token_exchange_failed", message });
  });

  it("maps an abort to login_cancelled", async () => {
    server.use(
      http.post(`${ISSUER}/oauth/token`, async () => {
        await delay("infinite");
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const p = exchangeCodeForTokens(request(controller.signal));
    controller.abort();
    expect((await fails(p)).code).toBe("login_cancelled");
  });

  it("redacts secrets echoed in an error body", () => {
    expect(tokenEndpointErrorDetail('{"error":"bad refresh_token=abcdef123"}')).toBe(
      "bad refresh_token=[REDACTED]",
    );
    expect(tokenEndpointErrorDetail("x".repeat(400))).toHaveLength(301);
  });
});

describe("obtainApiKey", () => {
  it("performs the RFC 8693 token exchange for an openai-api-key", async () => {
    let form: Record<string, string> = {};
    server.use(
      http.post(`${ISSUER}/oauth/token`, async ({ request }) => {
        form = Object.fromEntries(new URLSearchParams(await request.text()));
        return HttpResponse.json({ access_token: "sk-exchanged-key" });
      }),
    );
    const key = await obtainApiKey({
      http: client,
      issuer: ISSUER,
      clientId: "cid",
      idToken: new Secret(ID),
    });
    expect(key.reveal()).toBe("sk-exchanged-key");
    expect(form).toEqual({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      client_id: "cid",
      requested_token: "openai-api-key",
      subject_token: ID,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    });
  });

  it.each([
    [
      () => HttpResponse.json({ error: "denied" }, { status: 403 }),
      "API key exchange returned status 403: denied",
    ],
    [() => new HttpResponse("nope"), "API key exchange returned a non-JSON body"],
    [() => HttpResponse.json({ access_token: 5 }), "API key exchange reply lacks access_token"],
  ])("fails with token_exchange_failed (%#)", async (reply, message) => {
    server.use(http.post(`${ISSUER}/oauth/token`, reply));
    const err = await fails(
      obtainApiKey({ http: client, issuer: ISSUER, clientId: "cid", idToken: new Secret(ID) }),
    );
    expect(err).toMatchObject({ code: "token_exchange_failed", message });
  });
});

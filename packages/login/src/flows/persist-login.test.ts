import { createHttpClient } from "@codex/http";
import { Secret } from "@codex/wire";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { captureLogger } from "../../test/e2e-capture.js";
import { fakeJwt } from "../../test/e2e-loopback-issuer.js";
import type { AuthDotJson } from "../auth-dot-json.js";
import { parseIdToken } from "../id-token.js";
import type { AuthStorage } from "../storage/auth-storage.js";
import { chatgptLoginAuthDotJson, persistChatgptLogin } from "./persist-login.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function memory(initial?: AuthDotJson): AuthStorage & { value: AuthDotJson | undefined } {
  const s = {
    mode: "ephemeral" as const,
    value: initial,
    load: async () => s.value,
    save: async (a: AuthDotJson) => {
      s.value = a;
    },
    delete: async () => {
      const had = s.value !== undefined;
      s.value = undefined;
      return had;
    },
  };
  return s;
}

const idToken = parseIdToken(
  fakeJwt({ "https://api.openai.com/auth": { chatgpt_account_id: "w" } }),
);
const tokens = {
  idToken: idToken.rawJwt,
  accessToken: new Secret("at-new"),
  refreshToken: new Secret("rt-new"),
};

describe("persistChatgptLogin", () => {
  it("writes chatgpt mode, the claim's account id, now, and no agent identity", () => {
    const auth = chatgptLoginAuthDotJson({
      tokens,
      idToken,
      apiKey: null,
      now: new Date("2026-04-20T08:15:02.5Z"),
    });
    expect(auth).toMatchObject({
      authMode: "chatgpt",
      openaiApiKey: null,
      lastRefresh: "2026-04-20T08:15:02.500Z",
      tokens: { accountId: "w" },
    });
    expect(auth.agentIdentity).toBeUndefined();
  });

  it("does not revoke when the same tokens are saved again, and revokes when they change", async () => {
    const revoked: unknown[] = [];
    server.use(
      http.post("https://auth.openai.com/oauth/revoke", async ({ request }) => {
        revoked.push(await request.json());
        return HttpResponse.json({});
      }),
    );
    const store = memory();
    const revoke = { http: createHttpClient(), env: {} };
    const now = new Date();
    await persistChatgptLogin({ storage: store, tokens, idToken, apiKey: null, now, revoke });
    await persistChatgptLogin({ storage: store, tokens, idToken, apiKey: null, now, revoke });
    expect(revoked).toEqual([]);
    await persistChatgptLogin({
      storage: store,
      tokens: { ...tokens, refreshToken: new Secret("rt-newer") },
      idToken,
      apiKey: null,
      now,
      revoke,
    });
    expect(revoked).toEqual([
      {
        token: "rt-new",
        token_type_hint: "refresh_token",
        client_id: "app_EMoamEEZ73f0CkXaXp7hrann",
      },
    ]);
  });

  it("logs and ignores a failed revocation of superseded tokens; the new login is kept", async () => {
    server.use(
      http.post(
        "https://auth.openai.com/oauth/revoke",
        () => new HttpResponse("", { status: 500 }),
      ),
    );
    const store = memory();
    const log = captureLogger();
    const now = new Date();
    const revoke = { http: createHttpClient(), env: {} };
    await persistChatgptLogin({ storage: store, tokens, idToken, apiKey: null, now, revoke });
    const next = { ...tokens, refreshToken: new Secret("rt-2") };
    await persistChatgptLogin({
      storage: store,
      tokens: next,
      idToken,
      apiKey: null,
      now,
      revoke,
      logger: log.logger,
    });
    expect(store.value?.tokens?.refreshToken.reveal()).toBe("rt-2");
    expect(log.text()).toContain("failed to revoke superseded auth tokens after login");
  });

  it("fails with persist_failed when saving fails, and loads errors are ignored", async () => {
    const store: AuthStorage = {
      mode: "file",
      load: async () => {
        throw new Error("corrupt");
      },
      save: async () => {
        throw new Error("EACCES");
      },
      delete: async () => false,
    };
    await expect(
      persistChatgptLogin({ storage: store, tokens, idToken, apiKey: null, now: new Date() }),
    ).rejects.toMatchObject({ code: "persist_failed" });
  });
});

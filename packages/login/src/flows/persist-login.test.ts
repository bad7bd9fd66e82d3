import { createHttpClient } from "@codex/http";
import { Secret } from "@codex/wire";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { captureLogger } from "../../test/e2e-capture.js";
import { expectLoginError } from "../../test/support/capture.js";
import { useMswServer } from "../../test/support/msw.js";
import { type AuthDotJson, authDotJsonToJson } from "../auth-dot-json.js";
import { parseIdToken } from "../id-token.js";
import type { AuthStorage } from "../storage/auth-storage.js";
import { encodeJwt } from "../testing/index.js";
import { chatgptLoginAuthDotJson, persistChatgptLogin } from "./persist-login.js";

const { server } = useMswServer();

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
  encodeJwt({ "https://api.openai.com/auth": { chatgpt_account_id: "w" } }),
);
const provenance = { issuer: "https://auth.openai.com", clientId: "app_EMoamEEZ73f0CkXaXp7hrann" };
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
      provenance,
    });
    expect(auth).toMatchObject({
      authMode: "chatgpt",
      openaiApiKey: null,
      lastRefresh: "2026-04-20T08:15:02.500Z",
      tokens: { accountId: "w" },
    });
    expect(auth.agentIdentity).toBeUndefined();
  });

  it("writes oauth_provenance (issuer as configured, no trailing slash) and a fresh login_owner_id, in 0.169's key order", () => {
    const input = {
      tokens,
      idToken,
      apiKey: null,
      now: new Date(),
      provenance: { issuer: "http://127.0.0.1:5555/iss//", clientId: "app_custom" },
    };
    const first = chatgptLoginAuthDotJson(input);
    const second = chatgptLoginAuthDotJson(input);
    const json = authDotJsonToJson(first) as { tokens: Record<string, unknown> };
    expect(Object.keys(json.tokens)).toEqual([
      "id_token",
      "access_token",
      "refresh_token",
      "oauth_provenance",
      "login_owner_id",
      "account_id",
    ]);
    expect(json.tokens.oauth_provenance).toEqual({
      issuer: "http://127.0.0.1:5555/iss",
      client_id: "app_custom",
    });
    const owner = first.tokens?.loginOwnerId?.reveal() ?? "";
    expect(owner).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(owner, "base64url")).toHaveLength(32);
    expect(second.tokens?.loginOwnerId?.reveal()).not.toBe(owner); // new on every login
  });

  it("draws login_owner_id from the given randomness and refuses a short draw", async () => {
    const auth = chatgptLoginAuthDotJson({
      tokens,
      idToken,
      apiKey: null,
      now: new Date(),
      provenance,
      randomBytes: (n) => new Uint8Array(n).fill(0xff),
    });
    expect(auth.tokens?.loginOwnerId?.reveal()).toBe(`${"_".repeat(42)}8`);
    await expectLoginError(
      () =>
        chatgptLoginAuthDotJson({
          tokens,
          idToken,
          apiKey: null,
          now: new Date(),
          provenance,
          randomBytes: () => new Uint8Array(8),
        }),
      "invalid_argument",
    );
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
    await persistChatgptLogin({
      storage: store,
      tokens,
      idToken,
      apiKey: null,
      now,
      revoke,
      provenance,
    });
    await persistChatgptLogin({
      storage: store,
      tokens,
      idToken,
      apiKey: null,
      now,
      revoke,
      provenance,
    });
    expect(revoked).toEqual([]);
    await persistChatgptLogin({
      storage: store,
      tokens: { ...tokens, refreshToken: new Secret("rt-newer") },
      idToken,
      apiKey: null,
      now,
      revoke,
      provenance,
    });
    expect(revoked).toEqual([
      {
        token: "rt-new",
        token_type_hint: "refresh_token",
        client_id: "app_EMoamEEZ73f0CkXaXp7hrann",
      },
    ]);
  });

  it("revokes at the configured issuer with the configured client id, whatever the superseded login's oauth_provenance says (as 0.169)", async () => {
    const revoked: unknown[] = [];
    server.use(
      http.post("https://auth.openai.com/oauth/revoke", async ({ request }) => {
        revoked.push(await request.json());
        return HttpResponse.json({});
      }),
    );
    const store = memory();
    const revoke = { http: createHttpClient(), env: {} };
    const elsewhere = { issuer: "https://issuer.elsewhere.test", clientId: "app_elsewhere" };
    await persistChatgptLogin({
      storage: store,
      tokens,
      idToken,
      apiKey: null,
      now: new Date(),
      provenance: elsewhere,
    });
    expect(store.value?.tokens?.oauthProvenance).toMatchObject(elsewhere);
    await persistChatgptLogin({
      storage: store,
      tokens: { ...tokens, refreshToken: new Secret("rt-after-elsewhere") },
      idToken,
      apiKey: null,
      now: new Date(),
      revoke,
      provenance,
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
    await persistChatgptLogin({
      storage: store,
      tokens,
      idToken,
      apiKey: null,
      now,
      revoke,
      provenance,
    });
    const next = { ...tokens, refreshToken: new Secret("rt-2") };
    await persistChatgptLogin({
      storage: store,
      tokens: next,
      idToken,
      apiKey: null,
      now,
      revoke,
      logger: log.logger,
      provenance,
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
      persistChatgptLogin({
        storage: store,
        tokens,
        idToken,
        apiKey: null,
        now: new Date(),
        provenance,
      }),
    ).rejects.toMatchObject({ code: "persist_failed" });
  });
});

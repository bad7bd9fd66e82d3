import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { encodeUnsignedJwt, startFakeBackend } from "@codex/fake-backend";
import { Secret } from "@codex/wire";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import {
  createTempCodexHome,
  killLiveCodexRuns,
  runCodex,
  type TempCodexHome,
} from "../src/codex-harness.js";
import { runExecTurn } from "../src/exec-turn.js";
import { chatgptAuth, ourFileStore } from "../src/our-login.js";
import { upstreamDeviceLogin } from "../src/upstream-device-login.js";

const codex = inject("codexBinary");
const homes: TempCodexHome[] = [];

async function freshHome(): Promise<TempCodexHome> {
  const home = await createTempCodexHome();
  homes.push(home);
  return home;
}

afterEach(async () => {
  for (const home of homes.splice(0)) await home.cleanup();
});
afterAll(() => killLiveCodexRuns());

function chatgptIdToken(): string {
  const now = Math.floor(Date.now() / 1000);
  return encodeUnsignedJwt({
    iss: "https://auth.openai.com",
    aud: ["app_EMoamEEZ73f0CkXaXp7hrann"],
    sub: "auth0|user-conformance",
    email: "conformance@example.com",
    email_verified: true,
    iat: now,
    exp: now + 3600,
    "https://api.openai.com/auth": {
      chatgpt_account_id: "acct-conformance",
      chatgpt_plan_type: "plus",
      chatgpt_user_id: "user-conformance",
      user_id: "user-conformance",
    },
  });
}

describe("upstream codex 0.169 reads the auth.json our @codex/login writes", () => {
  it("API-key mode: `codex login status` reports the key, masked", async () => {
    const home = await freshHome();
    await (await ourFileStore(home)).save({
      authMode: "apikey",
      openaiApiKey: new Secret("sk-conformance-0123456789"),
    });

    const status = await runCodex(codex, ["login", "status"], { home });

    expect(status.code, status.stderr).toBe(0);
    const output = status.stdout + status.stderr;
    expect(output).toContain("API key configured - sk-confo***56789");
    expect(output).not.toContain("sk-conformance-0123456789");
  });

  it("ChatGPT mode: `codex login status` accepts our tokens (unsigned id token)", async () => {
    const home = await freshHome();
    const idToken = chatgptIdToken();
    await (await ourFileStore(home)).save(
      chatgptAuth({
        accessToken: idToken,
        refreshToken: "rt-conformance",
        account: { chatgptAccountId: "acct-conformance", planType: "plus" },
      }),
    );

    const status = await runCodex(codex, ["login", "status"], { home });

    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout + status.stderr).toContain("Logged in using ChatGPT");
  });
});

describe("our @codex/login reads the auth.json upstream codex 0.169 writes", () => {
  it("`codex login --with-api-key` (key on stdin) loads as API-key auth, byte for byte", async () => {
    const home = await freshHome();
    const key = "sk-conformance-from-upstream-42";

    const login = await runCodex(codex, ["login", "--with-api-key"], {
      home,
      stdin: `${key}\n`,
    });

    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout + login.stderr).toContain("API key saved.");
    const path = join(home.home, "auth.json");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const upstreamText = await readFile(path, "utf8");
    const storage = await ourFileStore(home);
    const auth = await storage.load();
    expect(auth?.authMode).toBe("apikey");
    expect(auth?.openaiApiKey?.reveal()).toBe(key);
    expect(auth?.tokens).toBeUndefined();
    // Rewriting what we read reproduces upstream's file exactly (shape, key order, no newline).
    await storage.save(auth!);
    expect(await readFile(path, "utf8")).toBe(upstreamText);
  });
});

describe("our @codex/login and upstream share a ChatGPT login made by the real codex", () => {
  it("a device-code login of the real app-server (fake issuer) loads, rewrites and still reads upstream", async () => {
    const home = await freshHome();
    const backend = await startFakeBackend();
    try {
      const login = await upstreamDeviceLogin(codex, home, backend);
      expect(typeof login.userCode).toBe("string");
      const path = join(home.home, "auth.json");
      const upstreamText = await readFile(path, "utf8");
      const upstream = JSON.parse(upstreamText) as {
        tokens: { access_token: string; oauth_provenance: unknown; login_owner_id: unknown };
      };
      expect(upstream.tokens.oauth_provenance).toEqual({
        issuer: backend.issuerUrl,
        client_id: backend.clientId,
      });

      const storage = await ourFileStore(home);
      const auth = await storage.load();
      expect(auth?.authMode).toBe("chatgpt");
      expect(auth?.tokens?.accountId).toBe(backend.account.chatgptAccountId);
      expect(auth?.tokens?.idToken.email).toBe(backend.account.email);
      expect(auth?.tokens?.accessToken.reveal()).toBe(upstream.tokens.access_token);

      // Our rewrite keeps upstream's provenance and login owner, and upstream still reads it.
      await storage.save(auth!);
      const rewritten = JSON.parse(await readFile(path, "utf8")) as typeof upstream;
      expect(rewritten.tokens.oauth_provenance).toEqual(upstream.tokens.oauth_provenance);
      expect(rewritten.tokens.login_owner_id).toBe(upstream.tokens.login_owner_id);
      const status = await runCodex(codex, ["login", "status"], { home });
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout + status.stderr).toContain("Logged in using ChatGPT");
    } finally {
      await backend.close();
    }
  });
});

describe("upstream refreshes a ChatGPT auth.json our @codex/login wrote, and we read the result", () => {
  it("an expired access token is refreshed by codex exec at the fake issuer; we load the new tokens", async () => {
    const home = await freshHome();
    const backend = await startFakeBackend();
    try {
      const issued = backend.issueTokens();
      const claims = JSON.parse(
        Buffer.from(issued.accessToken.split(".")[1]!, "base64url").toString("utf8"),
      ) as Record<string, unknown>;
      const expired = encodeUnsignedJwt({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 });
      const storage = await ourFileStore(home);
      await storage.save(
        chatgptAuth({
          accessToken: expired,
          refreshToken: issued.refreshToken,
          account: backend.account,
        }),
      );

      const turn = await runExecTurn(codex, {
        mode: "chatgpt-http",
        reuse: { home, backend },
        env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${backend.issuerUrl}/oauth/token` },
      });
      expect(turn.run.code, turn.run.stderr).toBe(0);
      expect(backend.state.tokenGrants.map((g) => [g.grantType, g.outcome])).toEqual([
        ["refresh_token", "ok"],
      ]);
      const responses = turn.requests.filter((r) => r.endpoint === "codex.responses");
      expect(responses.map((r) => r.bearer?.valid)).toEqual([true]);

      const after = await storage.load();
      expect(after?.authMode).toBe("chatgpt");
      expect(after?.tokens?.refreshToken.reveal()).not.toBe(issued.refreshToken);
      expect(after?.tokens?.accessToken.reveal()).not.toBe(expired);
      expect(after?.tokens?.accountId).toBe(backend.account.chatgptAccountId);
      expect(responses[0]?.headers.authorization).toBe(
        `Bearer ${after?.tokens?.accessToken.reveal()}`,
      );
    } finally {
      await backend.close();
    }
  });
});

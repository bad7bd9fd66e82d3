import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { encodeUnsignedJwt } from "@codex/fake-backend";
import { FileAuthStorage, parseIdToken, serializeAuthDotJson } from "@codex/login";
import { Secret } from "@codex/wire";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import {
  createTempCodexHome,
  killLiveCodexRuns,
  runCodex,
  type TempCodexHome,
} from "../src/codex-harness.js";

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
    await new FileAuthStorage(home.home).save({
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
    const info = parseIdToken(idToken);
    await new FileAuthStorage(home.home).save({
      authMode: "chatgpt",
      openaiApiKey: null,
      tokens: {
        idToken: info,
        accessToken: new Secret(idToken),
        refreshToken: new Secret("rt-conformance"),
        accountId: info.chatgptAccountId ?? null,
      },
      lastRefresh: new Date().toISOString(),
    });

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
    const auth = await new FileAuthStorage(home.home).load();
    expect(auth?.authMode).toBe("apikey");
    expect(auth?.openaiApiKey?.reveal()).toBe(key);
    expect(auth?.tokens).toBeUndefined();
    // Rewriting what we read reproduces upstream's file exactly (shape, key order, no newline).
    expect(serializeAuthDotJson(auth!)).toBe(await readFile(path, "utf8"));
  });
});

// Real browser end to end: a headless Chromium found on PATH or at CHROME_PATH (driven by
// playwright-core, never a downloaded browser; without one the suite skips with a printed reason,
// or fails under CODEX_REQUIRE_SYSTEM_TESTS=1) opens the authUrl on @codex/fake-backend's issuer,
// follows its redirect to the login server's callback and lands on the success page; auth.json is
// then written with mode 0600.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeBackend, startFakeBackend } from "@codex/fake-backend";
import { createHttpClient } from "@codex/http";
import { Secret } from "@codex/wire";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLoginServer } from "../src/flows/login-server.js";
import { refreshTokens } from "../src/token-endpoint.js";
import { captureLogger, leakedSecrets } from "./e2e-capture.js";
import { chromiumGate, findChromium } from "./support/system-services.js";

const browser = chromiumGate();
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let home: string;
let profile: string;
let backend: FakeBackend;

describe.skipIf(browser.skip)("browser login with a real Chromium", () => {
  beforeAll(async () => {
    browser.check();
    home = await mkdtemp(join(tmpdir(), "codex-login-chromium-home-"));
    profile = await mkdtemp(join(tmpdir(), "codex-login-chromium-profile-"));
    backend = await startFakeBackend({
      account: { chatgptAccountId: "ws-chromium", email: "chromium@example.com" },
    });
  });

  afterAll(async () => {
    await backend?.close();
    if (home) await rm(home, { recursive: true, force: true });
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it("opens authUrl, follows the issuer redirect to the callback and lands on the success page", async () => {
    const log = captureLogger();
    const login = await startLoginServer({
      codexHome: home,
      issuer: backend.issuerUrl,
      clientId: backend.clientId,
      port: 0,
      logger: log.logger,
    });
    const codes: string[] = [];
    const executablePath = findChromium();
    if (executablePath === undefined) throw new Error("Chromium disappeared after the gate saw it");
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ARGS,
      ignoreDefaultArgs: ["--headless=new"],
    });
    try {
      const page = await context.newPage();
      page.on("request", (request) => {
        const url = new URL(request.url());
        if (url.pathname === "/auth/callback") codes.push(...url.searchParams.getAll("code"));
      });
      const response = await page.goto(login.authUrl, { waitUntil: "load" });
      expect(response?.status()).toBe(200);
      const landed = new URL(page.url());
      expect(landed.hostname).toBe("localhost");
      expect(Number(landed.port)).toBe(login.port);
      expect(landed.pathname).toBe("/success");
      expect(await page.textContent("h1")).toBe("Signed in to Codex");
      expect(response?.headers().connection).toBe("close");
    } finally {
      await context.close();
    }
    const result = await login.done;
    expect(result.accountId).toBe("ws-chromium");
    const file = join(home, "auth.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, "utf8"));
    expect(saved.auth_mode).toBe("chatgpt");
    expect(saved.tokens.account_id).toBe("ws-chromium");
    expect(saved.OPENAI_API_KEY).toMatch(/^sk-/);
    const paths = backend.state.requests.map((r) => `${r.method} ${r.endpoint}`);
    expect(paths.slice(0, 3)).toEqual([
      "GET oauth.authorize",
      "POST oauth.token",
      "POST oauth.token",
    ]);
    expect(backend.state.tokenGrants.map((g) => [g.grantType, g.outcome])).toEqual([
      ["authorization_code", "ok"],
      ["urn:ietf:params:oauth:grant-type:token-exchange", "ok"],
    ]);
    expect(
      leakedSecrets(log.text(), [
        saved.tokens.access_token,
        saved.tokens.refresh_token,
        saved.tokens.id_token,
        saved.OPENAI_API_KEY,
        ...codes,
      ]),
    ).toEqual([]);
    expect(codes).toHaveLength(1);
    // the stored refresh token is the one the backend issued: it is accepted once
    const refreshed = await refreshTokens(new Secret(saved.tokens.refresh_token), {
      http: createHttpClient(),
      url: `${backend.issuerUrl}/oauth/token`,
      clientId: backend.clientId,
    });
    expect(refreshed.refreshToken?.reveal()).not.toBe(saved.tokens.refresh_token);
    expect(backend.state.tokenGrants.at(-1)).toMatchObject({
      grantType: "refresh_token",
      outcome: "ok",
    });
  });
});

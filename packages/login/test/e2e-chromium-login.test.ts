// Real browser end to end: a headless Chromium found on PATH or at CHROME_PATH (driven by
// playwright-core, never a downloaded browser; without one the suite skips with a printed reason,
// or fails under CODEX_REQUIRE_SYSTEM_TESTS=1) opens the authUrl on a loopback issuer, follows its redirect to the login
// server's callback and lands on the success page; auth.json is then written with mode 0600.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLoginServer } from "../src/flows/login-server.js";
import { captureLogger, leakedSecrets } from "./e2e-capture.js";
import { type LoopbackIssuer, startLoopbackIssuer } from "./e2e-loopback-issuer.js";
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
let issuer: LoopbackIssuer;

describe.skipIf(browser.skip)("browser login with a real Chromium", () => {
  beforeAll(async () => {
    browser.check();
    home = await mkdtemp(join(tmpdir(), "codex-login-chromium-home-"));
    profile = await mkdtemp(join(tmpdir(), "codex-login-chromium-profile-"));
    issuer = await startLoopbackIssuer({ accountId: "ws-chromium", email: "chromium@example.com" });
  });

  afterAll(async () => {
    await issuer?.close();
    if (home) await rm(home, { recursive: true, force: true });
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it("opens authUrl, follows the issuer redirect to the callback and lands on the success page", async () => {
    const log = captureLogger();
    const login = await startLoginServer({
      codexHome: home,
      issuer: issuer.url,
      port: 0,
      logger: log.logger,
    });
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
    expect(saved.tokens.refresh_token).toBe(issuer.secrets.refreshToken);
    expect(saved.tokens.account_id).toBe("ws-chromium");
    const paths = issuer.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths.slice(0, 3)).toEqual([
      "GET /oauth/authorize",
      "POST /oauth/token",
      "POST /oauth/token",
    ]);
    const s = issuer.secrets;
    expect(leakedSecrets(log.text(), [s.code, s.accessToken, s.refreshToken, s.idToken])).toEqual(
      [],
    );
  });
});

// Real browser end to end: Debian's headless Chromium (driven by playwright-core, never a
// downloaded browser) opens the authUrl on a loopback issuer, follows its redirect to the login
// server's callback and lands on the success page; auth.json is then written with mode 0600.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLoginServer } from "../src/flows/login-server.js";
import { captureLogger, leakedSecrets } from "./e2e-capture.js";
import { type LoopbackIssuer, startLoopbackIssuer } from "./e2e-loopback-issuer.js";

const CHROMIUM = "/usr/bin/chromium";
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

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "codex-login-chromium-home-"));
  profile = await mkdtemp(join(tmpdir(), "codex-login-chromium-profile-"));
  issuer = await startLoopbackIssuer({ accountId: "ws-chromium", email: "chromium@example.com" });
});

afterAll(async () => {
  await issuer?.close();
  await rm(home, { recursive: true, force: true });
  await rm(profile, { recursive: true, force: true });
});

describe("browser login with a real Chromium", () => {
  it("opens authUrl, follows the issuer redirect to the callback and lands on the success page", async () => {
    // Not a skip: without the browser this test fails, and says how to install it.
    expect(existsSync(CHROMIUM), "run scripts/install-test-deps.sh to install chromium").toBe(true);
    const log = captureLogger();
    const login = await startLoginServer({
      codexHome: home,
      issuer: issuer.url,
      port: 0,
      logger: log.logger,
    });
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
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

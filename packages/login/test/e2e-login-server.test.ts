// Whole browser-login flow against real loopback servers: the login server, @codex/fake-backend's
// OAuth issuer, and an HTTP client acting as the browser (follows the issuer's redirect to the callback, then
// the redirect to the success page).
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeBackend, type FakeBackendOptions, startFakeBackend } from "@codex/fake-backend";
import { createHttpClient } from "@codex/http";
import { Secret } from "@codex/wire";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuthManager } from "../src/auth-manager.js";
import { LoginError } from "../src/errors.js";
import { startLoginServer } from "../src/flows/login-server.js";
import { encodeJwt } from "../src/testing/index.js";
import { refreshTokens } from "../src/token-endpoint.js";
import { captureLogger, errorText, leakedSecrets } from "./e2e-capture.js";
import { registerSecret } from "./support/capture.js";

let home: string;
let backend: FakeBackend | undefined;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "codex-login-e2e-"));
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await backend?.close();
  backend = undefined;
  await rm(home, { recursive: true, force: true });
});

async function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    res.writeHead(418);
    res.end("not a login server");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.address();
  if (addr === null || typeof addr === "string") throw new Error("no address");
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return { server, port: addr.port };
}

async function freePort(): Promise<number> {
  const { server, port } = await occupy();
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The browser: GET with manual redirects, following at most `max` hops. */
async function browse(url: string, max = 5): Promise<{ res: Response; chain: string[] }> {
  const chain: string[] = [url];
  let current = url;
  for (let i = 0; i < max; i++) {
    const res = await fetch(current, { redirect: "manual" });
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.arrayBuffer();
      current = new URL(location, current).toString();
      chain.push(current);
      continue;
    }
    return { res, chain };
  }
  throw new Error("too many redirects");
}

const noSleep = async () => {};

/** The issuer: @codex/fake-backend with the account these tests sign in to. */
async function startIssuer(
  account: { chatgptAccountId?: string } = {},
  options: FakeBackendOptions = {},
): Promise<FakeBackend> {
  backend = await startFakeBackend({
    ...options,
    account: {
      chatgptAccountId: account.chatgptAccountId ?? "ws-e2e",
      email: "e2e@example.com",
      planType: "plus",
    },
  });
  return backend;
}

/** The tokens of a saved auth.json, registered for the suite's secret scan. */
function savedSecrets(saved: {
  OPENAI_API_KEY: string | null;
  tokens: { id_token: string; access_token: string; refresh_token: string };
}): string[] {
  const values = [saved.tokens.id_token, saved.tokens.access_token, saved.tokens.refresh_token];
  if (saved.OPENAI_API_KEY !== null) values.push(saved.OPENAI_API_KEY);
  return values.map(registerSecret);
}

/** The refresh token was issued by `issuer` and never spent: the issuer rotates it once. */
async function expectLiveRefreshToken(issuer: FakeBackend, refreshToken: string): Promise<void> {
  const rotated = await refreshTokens(new Secret(refreshToken), {
    http: createHttpClient(),
    url: `${issuer.issuerUrl}/oauth/token`,
  });
  registerSecret(rotated.refreshToken?.reveal() ?? "");
  expect(issuer.state.tokenGrants.at(-1)).toEqual(
    expect.objectContaining({ grantType: "refresh_token", outcome: "ok" }),
  );
}

/** The authorization codes the browser carried to the callback. */
function codesIn(chain: readonly string[]): string[] {
  return chain.flatMap((u) =>
    new URL(u).pathname === "/auth/callback" ? new URL(u).searchParams.getAll("code") : [],
  );
}

describe("browser login end to end (fake-backend issuer, HTTP client as browser)", () => {
  it("authorize → callback → token exchange → auth.json 0600 → success page", async () => {
    const issuer = await startIssuer();
    const log = captureLogger();
    const login = await startLoginServer({
      codexHome: home,
      issuer: issuer.issuerUrl,
      port: 0,
      logger: log.logger,
      http: createHttpClient({ logger: log.logger }),
    });
    expect(
      login.authUrl.startsWith(`${issuer.issuerUrl}/oauth/authorize?response_type=code&`),
    ).toBe(true);
    const { res, chain } = await browse(login.authUrl);
    expect(chain[1]).toMatch(new RegExp(`^http://localhost:${login.port}/auth/callback\\?`));
    expect(chain[2]).toMatch(new RegExp(`^http://localhost:${login.port}/success\\?`));
    expect(res.status).toBe(200);
    expect(res.headers.get("connection")).toBe("close");
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await res.text()).toContain("Signed in to Codex");

    const result = await login.done;
    expect(result.accountId).toBe("ws-e2e");
    expect(result.email).toBe("e2e@example.com");
    expect(result.planType).toBe("plus");

    const file = join(home, "auth.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, "utf8"));
    expect(Object.keys(saved)).toEqual(["auth_mode", "OPENAI_API_KEY", "tokens", "last_refresh"]);
    expect(saved.auth_mode).toBe("chatgpt");
    const secrets = savedSecrets(saved);
    expect(saved.OPENAI_API_KEY).toMatch(/^sk-/);
    expect(Object.entries(saved.tokens).map(([k]) => k)).toEqual([
      "id_token",
      "access_token",
      "refresh_token",
      "oauth_provenance",
      "login_owner_id",
      "account_id",
    ]);
    expect(saved.tokens).toEqual({
      id_token: expect.any(String),
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      oauth_provenance: { issuer: issuer.issuerUrl, client_id: "app_EMoamEEZ73f0CkXaXp7hrann" },
      login_owner_id: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      account_id: "ws-e2e",
    });
    for (const secret of secrets) expect(chain[2]).not.toContain(secret);
    expect(issuer.state.tokenGrants.map((g) => [g.grantType, g.outcome])).toEqual([
      ["authorization_code", "ok"],
      ["urn:ietf:params:oauth:grant-type:token-exchange", "ok"],
    ]);

    const tokenCalls = issuer.state.requests.filter((r) => r.endpoint === "oauth.token");
    const exchange = (tokenCalls[0]?.body ?? {}) as Record<string, string>;
    expect(Object.keys(exchange)).toEqual([
      "grant_type",
      "code",
      "redirect_uri",
      "client_id",
      "code_verifier",
    ]);
    expect(exchange.redirect_uri).toBe(`http://localhost:${login.port}/auth/callback`);
    expect(tokenCalls[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(tokenCalls[1]?.body).toMatchObject({ requested_token: "openai-api-key" });
    // The login clients send no originator/User-Agent of Codex.
    expect(tokenCalls[0]?.headers["user-agent"] ?? "").not.toContain("codex");

    // The server is gone once the login ended.
    await expect(fetch(`http://127.0.0.1:${login.port}/success`)).rejects.toThrow();
    const codes = codesIn(chain);
    expect(codes).toHaveLength(1);
    expect(leakedSecrets(log.text(), [...codes.map(registerSecret), ...secrets])).toEqual([]);
    // the stored refresh token is the one the issuer handed out
    await expectLiveRefreshToken(issuer, saved.tokens.refresh_token);
    expect(log.text()).toContain("state_valid");
  });

  it("rejects a state mismatch with nothing written and keeps listening", async () => {
    const issuer = await startIssuer();
    const login = await startLoginServer({ codexHome: home, issuer: issuer.issuerUrl, port: 0 });
    const bad = await fetch(
      `http://127.0.0.1:${login.port}/auth/callback?code=forged-code&state=forged`,
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe("State mismatch");
    await expect(stat(join(home, "auth.json"))).rejects.toMatchObject({ code: "ENOENT" });
    expect(issuer.state.requests.filter((r) => r.endpoint === "oauth.token")).toHaveLength(0);
    // The real callback still works afterwards.
    const { res } = await browse(login.authUrl);
    expect(res.status).toBe(200);
    await expect(login.done).resolves.toMatchObject({ accountId: "ws-e2e" });
  });

  it("cancel() ends the login with login_cancelled and frees the port", async () => {
    const issuer = await startIssuer();
    const login = await startLoginServer({ codexHome: home, issuer: issuer.issuerUrl, port: 0 });
    login.cancel();
    login.cancel();
    const err = await login.done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoginError);
    expect((err as LoginError).code).toBe("login_cancelled");
    expect((err as LoginError).message).toBe("Login was not completed");
    const again = await startLoginServer({
      codexHome: home,
      issuer: issuer.issuerUrl,
      port: login.port,
      fallbackPort: null,
      bindRetry: { attempts: 20, delayMs: 10 },
    });
    expect(again.port).toBe(login.port);
    again.cancel();
    await again.done.catch(() => {});
  });

  it("times out when the browser never comes back", async () => {
    const issuer = await startIssuer();
    const login = await startLoginServer({
      codexHome: home,
      issuer: issuer.issuerUrl,
      port: 0,
      timeoutMs: 5,
    });
    await expect(login.done).rejects.toMatchObject({
      code: "login_timeout",
      message: "Login timed out after 5 ms; run the login again.",
    });
  });

  it("a new login server asks the previous one to /cancel and takes its port", async () => {
    const issuer = await startIssuer();
    const first = await startLoginServer({ codexHome: home, issuer: issuer.issuerUrl, port: 0 });
    const second = await startLoginServer({
      codexHome: home,
      issuer: issuer.issuerUrl,
      port: first.port,
      fallbackPort: null,
      bindRetry: { attempts: 50, delayMs: 10 },
    });
    await expect(first.done).rejects.toMatchObject({
      code: "login_cancelled",
      message: "Login cancelled",
    });
    expect(second.port).toBe(first.port);
    const { res } = await browse(second.authUrl);
    expect(res.status).toBe(200);
    await second.done;
  });

  it("falls back to the second port when the first stays busy (1455 → 1457 logic)", async () => {
    const issuer = await startIssuer();
    const busy = await occupy();
    const fallback = await freePort();
    let sleeps = 0;
    const login = await startLoginServer({
      codexHome: home,
      issuer: issuer.issuerUrl,
      port: busy.port,
      fallbackPort: fallback,
      sleep: async () => {
        sleeps++;
      },
    });
    expect(login.port).toBe(fallback);
    expect(sleeps).toBe(10);
    expect(decodeURIComponent(login.authUrl)).toContain(
      `redirect_uri=http://localhost:${fallback}/auth/callback`,
    );
    const { res } = await browse(login.authUrl);
    expect(res.status).toBe(200);
    await login.done;
  });

  it("uses the real defaults: 1455 busy (occupied here, refuses /cancel) → 1457", async () => {
    const issuer = await startIssuer();
    const occupant = createServer((_req, res) => {
      res.writeHead(418);
      res.end("not a login server");
    });
    await new Promise<void>((resolve, reject) => {
      occupant.once("error", reject);
      occupant.listen(1455, "127.0.0.1", () => resolve());
    });
    cleanups.push(() => new Promise((r) => occupant.close(() => r())));
    const login = await startLoginServer({
      codexHome: home,
      issuer: issuer.issuerUrl,
      bindRetry: { attempts: 2, delayMs: 1 },
    });
    // whatever happens below, 1457 is released before the next test (cancel is idempotent)
    cleanups.unshift(async () => {
      login.cancel();
      await login.done.catch(() => undefined);
    });
    expect(login.port).toBe(1457);
    expect(login.authUrl).toContain("redirect_uri=http%3A%2F%2Flocalhost%3A1457%2Fauth%2Fcallback");
    const { res } = await browse(login.authUrl);
    expect(res.status).toBe(200);
    await login.done;
    // the finished login server gave 1457 back: it can be bound again at once
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once("error", reject);
      probe.listen(1457, "127.0.0.1", () => resolve());
    });
    await new Promise<void>((r) => probe.close(() => r()));
  });

  it("fails with port_in_use when both ports stay busy", async () => {
    const issuer = await startIssuer();
    const a = await occupy();
    const b = await occupy();
    await expect(
      startLoginServer({
        codexHome: home,
        issuer: issuer.issuerUrl,
        port: a.port,
        fallbackPort: b.port,
        sleep: noSleep,
      }),
    ).rejects.toMatchObject({
      code: "port_in_use",
      message: `Port 127.0.0.1:${b.port} is already in use`,
    });
  });

  it("ends with the entitlement message when the issuer denies access; nothing written", async () => {
    const issuer = await startIssuer(
      {},
      { authorizeError: { error: "access_denied", errorDescription: "Missing_Codex_Entitlement" } },
    );
    const login = await startLoginServer({ codexHome: home, issuer: issuer.issuerUrl, port: 0 });
    const { res } = await browse(login.authUrl);
    expect(res.headers.get("connection")).toBe("close");
    const html = await res.text();
    expect(html).toContain("Codex is not enabled for your workspace.");
    expect(html).toContain('data-error-code="access_denied"');
    await expect(login.done).rejects.toMatchObject({ code: "login_failed" });
    await expect(stat(join(home, "auth.json"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("ends with token_exchange_failed when the token endpoint refuses the code", async () => {
    const issuer = await startIssuer(
      {},
      {
        tokenErrors: {
          authorizationCode: { status: 400, error: "invalid_grant", errorDescription: "bad code" },
        },
      },
    );
    const login = await startLoginServer({ codexHome: home, issuer: issuer.issuerUrl, port: 0 });
    const { res, chain } = await browse(login.authUrl);
    expect(await res.text()).toContain(
      "Token exchange failed: token endpoint returned status 400 Bad Request: bad code",
    );
    const err = await login.done.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "token_exchange_failed", status: 400 });
    const codes = codesIn(chain).map(registerSecret);
    expect(codes).toHaveLength(1);
    expect(leakedSecrets(errorText(err), codes)).toEqual([]);
    await expect(stat(join(home, "auth.json"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("enforces the workspace restriction before persisting", async () => {
    const issuer = await startIssuer({ chatgptAccountId: "ws-other" });
    const login = await startLoginServer({
      codexHome: home,
      issuer: issuer.issuerUrl,
      port: 0,
      forcedWorkspaceIds: ["ws-allowed", "ws-2"],
    });
    expect(login.authUrl).toContain("&allowed_workspace_id=ws-allowed%2Cws-2");
    const { res } = await browse(login.authUrl);
    expect(await res.text()).toContain("Login is restricted to workspace id(s) ws-allowed, ws-2.");
    await expect(login.done).rejects.toMatchObject({ code: "login_restricted" });
    await expect(stat(join(home, "auth.json"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("saves through an AuthManager's store and reloads it before done resolves", async () => {
    const issuer = await startIssuer({ chatgptAccountId: "ws-managed" });
    const manager = await AuthManager.create({ codexHome: home, env: {} });
    const login = await startLoginServer({
      codexHome: home,
      issuer: issuer.issuerUrl,
      port: 0,
      authManager: manager,
    });
    await browse(login.authUrl);
    await login.done;
    expect(manager.authCached()?.getAccountId()).toBe("ws-managed");
  });

  it("keeps going without an API key when the key exchange fails", async () => {
    const issuer = await startIssuer(
      {},
      { tokenErrors: { tokenExchange: { status: 403, error: "no_key" } } },
    );
    const login = await startLoginServer({ codexHome: home, issuer: issuer.issuerUrl, port: 0 });
    await browse(login.authUrl);
    await login.done;
    const saved = JSON.parse(await readFile(join(home, "auth.json"), "utf8"));
    expect(saved.OPENAI_API_KEY).toBeNull();
  });

  it("revokes the managed tokens a new login supersedes, and drops the old agent identity", async () => {
    const issuer = await startIssuer();
    const oldRefresh = "rt-old-superseded";
    await writeFile(
      join(home, "auth.json"),
      JSON.stringify({
        auth_mode: "chatgpt",
        OPENAI_API_KEY: null,
        tokens: {
          id_token: encodeJwt({ email: "old@example.com" }),
          access_token: "at-old",
          refresh_token: oldRefresh,
          account_id: "ws-old",
        },
        last_refresh: "2026-01-01T00:00:00Z",
        agent_identity: {
          workspace_id: "ws-old",
          agent_runtime_id: "agent-old",
          agent_private_key: "AAAA",
          registered_at: "2026-01-01T00:00:00Z",
        },
      }),
      { mode: 0o600 },
    );
    const login = await startLoginServer({ codexHome: home, issuer: issuer.issuerUrl, port: 0 });
    await browse(login.authUrl);
    await login.done;
    const revokes = issuer.state.requests.filter((r) => r.endpoint === "oauth.revoke");
    expect(revokes).toHaveLength(1);
    expect(revokes[0]?.body).toEqual({
      token: oldRefresh,
      token_type_hint: "refresh_token",
      client_id: "app_EMoamEEZ73f0CkXaXp7hrann",
    });
    const saved = JSON.parse(await readFile(join(home, "auth.json"), "utf8"));
    expect(saved.agent_identity).toBeUndefined();
    savedSecrets(saved);
    expect(saved.tokens.refresh_token).not.toBe(oldRefresh);
    await expectLiveRefreshToken(issuer, saved.tokens.refresh_token);
  });

  it("answers 404 on unknown paths and keeps listening", async () => {
    const issuer = await startIssuer();
    const login = await startLoginServer({ codexHome: home, issuer: issuer.issuerUrl, port: 0 });
    const res = await fetch(`http://127.0.0.1:${login.port}/favicon.ico`);
    expect(res.status).toBe(404);
    const early = await fetch(`http://127.0.0.1:${login.port}/success`);
    expect(early.status).toBe(404);
    login.cancel();
    await login.done.catch(() => {});
  });
});

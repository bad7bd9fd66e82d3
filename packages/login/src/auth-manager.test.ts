import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { createHttpClient } from "@codex/http";
import { Secret } from "@codex/wire";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { captureLogger, expectLoginError, registerSecret } from "../test/support/capture.js";
import { useMswServer } from "../test/support/msw.js";
import { RotatingIssuer } from "../test/support/rotating-issuer.js";
import { makeCodexHome, readFixture } from "../test/support/tmp.js";
import { parseAuthDotJson, serializeAuthDotJson } from "./auth-dot-json.js";
import { AuthManager } from "./auth-manager.js";
import type { LoginErrorCode } from "./errors.js";
import type { ExternalAuth } from "./external-auth.js";
import { tryLockFile } from "./internal/flock.js";
import type { AuthManagerOptions } from "./login-config.js";
import type { AuthStorage } from "./storage/auth-storage.js";
import { FileAuthStorage } from "./storage/file-auth-storage.js";
import { ChatGptAuthFixture, encodeAccessToken, writeApiKeyAuth } from "./testing/index.js";

const { server } = useMswServer();
const TOKEN_URL = "https://auth.openai.com/oauth/token";
const NOW = new Date("2026-05-01T12:00:00.000Z");
const NOW_S = NOW.getTime() / 1000;
const RT = registerSecret("rt-manager-SECRET-0");

function issuerHandler(issuer: RotatingIssuer) {
  return http.post(TOKEN_URL, async ({ request }) => {
    const reply = issuer.handle(await request.json());
    return HttpResponse.json(reply.body, { status: reply.status });
  });
}

function accessToken(expInSeconds: number | undefined): string {
  return registerSecret(
    encodeAccessToken({
      ...(expInSeconds === undefined ? {} : { exp: NOW_S + expInSeconds }),
      claims: { extra: { SECRET: "at0" } },
    }),
  );
}

async function managedHome(
  options: { exp?: number | undefined; lastRefresh?: Date | null; accountId?: string } = {},
): Promise<string> {
  const home = makeCodexHome();
  const fixture = new ChatGptAuthFixture(accessToken("exp" in options ? options.exp : 3600))
    .refreshToken(RT)
    .accountId(options.accountId ?? "ws-1")
    .chatgptAccountId(options.accountId ?? "ws-1")
    .email("u@example.com")
    .lastRefresh(options.lastRefresh === undefined ? NOW : options.lastRefresh)
    .extra({ future_field: { kept: true } });
  await fixture.write(home);
  return home;
}

function create(home: string, extra: Partial<AuthManagerOptions> = {}): Promise<AuthManager> {
  return AuthManager.create({
    codexHome: home,
    now: () => NOW,
    http: createHttpClient(),
    env: {},
    ...extra,
  });
}

function readAuthFile(home: string) {
  return JSON.parse(readFileSync(join(home, "auth.json"), "utf8"));
}

describe("AuthManager: loading", () => {
  it("loads a stored ChatGPT login once and serves it from cache", async () => {
    const manager = await create(await managedHome());
    const auth = await manager.auth();
    expect(auth?.apiAuthMode).toBe("chatgpt");
    expect(auth?.getAccountId()).toBe("ws-1");
    expect(manager.authCached()).toBe(auth);
    expect(inspect(manager, { depth: 6 })).not.toContain(RT);
  });

  it("a corrupt auth.json is reported (loadError), not overwritten, and means logged out", async () => {
    const home = makeCodexHome();
    const broken = readFixture("auth-chatgpt-upstream.json").slice(0, 120);
    writeFileSync(join(home, "auth.json"), broken);
    const { logger, records } = captureLogger();
    const manager = await create(home, { logger });
    expect(manager.authCached()).toBeUndefined();
    expect(manager.loadError?.code).toBe("auth_file_corrupt");
    expect(records.some((r) => r.level === "warn")).toBe(true);
    expect(readFileSync(join(home, "auth.json"), "utf8")).toBe(broken);
    await manager.refreshToken(); // nothing cached: nothing to refresh, nothing written
    expect(readFileSync(join(home, "auth.json"), "utf8")).toBe(broken);
  });

  it("CODEX_API_KEY counts only when enabled", async () => {
    const home = await managedHome();
    const key = registerSecret("sk-env-SECRET-1");
    expect(
      (await create(home, { env: { CODEX_API_KEY: ` ${key} ` } })).authCached()?.apiAuthMode,
    ).toBe("chatgpt");
    const enabled = await create(home, {
      env: { CODEX_API_KEY: ` ${key} ` },
      enableCodexApiKeyEnv: true,
    });
    expect(enabled.authCached()?.getToken().reveal()).toBe(key);
  });

  it("reload reports a change only when the mode or presence changes", async () => {
    const home = await managedHome();
    const manager = await create(home);
    const seen: Array<string | undefined> = [];
    const unsubscribe = manager.subscribe((a) => seen.push(a?.apiAuthMode));
    await new ChatGptAuthFixture(accessToken(7200))
      .refreshToken("rt-other")
      .accountId("ws-1")
      .write(home);
    expect(await manager.reload()).toBe(false);
    await writeApiKeyAuth(home, registerSecret("sk-reload-SECRET"));
    expect(await manager.reload()).toBe(true);
    expect((await manager.logout()).removed).toBe(true);
    expect(manager.authCached()).toBeUndefined();
    unsubscribe();
    await manager.reload();
    expect(seen).toEqual(["chatgpt", "apikey", undefined]);
  });

  it("rejects bad options", async () => {
    await expectLoginError(AuthManager.create({ codexHome: "" }), "invalid_codex_home");
    await expectLoginError(
      AuthManager.create({ codexHome: "/tmp", storeMode: "cloud" as never }),
      "invalid_argument",
    );
    await expectLoginError(
      AuthManager.create({ codexHome: "/tmp", storage: { mode: "file" } as never }),
      "invalid_argument",
    );
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, "10" as never]) {
      await expectLoginError(
        AuthManager.create({ codexHome: "/tmp", externalRefreshTimeoutMs: bad }),
        "invalid_argument",
      );
      await expectLoginError(
        AuthManager.create({ codexHome: "/tmp", refreshTimeoutMs: bad }),
        "invalid_argument",
      );
    }
    await expectLoginError(
      AuthManager.create({ codexHome: "/tmp", now: new Date() as never }),
      "invalid_argument",
    );
  });
});

describe("AuthManager: proactive refresh", () => {
  it.each([
    ["exp in 4 minutes", { exp: 240 }, true],
    ["exp exactly at the window", { exp: 300 }, true],
    ["exp already passed", { exp: -10 }, true],
    ["exp in 6 minutes", { exp: 360 }, false],
    [
      "no exp, last_refresh 9 days ago",
      { exp: undefined, lastRefresh: new Date(NOW.getTime() - 9 * 86400_000) },
      true,
    ],
    [
      "no exp, last_refresh 7 days ago",
      { exp: undefined, lastRefresh: new Date(NOW.getTime() - 7 * 86400_000) },
      false,
    ],
    [
      "readable exp wins over an old last_refresh",
      { exp: 3600, lastRefresh: new Date(NOW.getTime() - 30 * 86400_000) },
      false,
    ],
    ["no exp, no last_refresh", { exp: undefined, lastRefresh: null }, false],
  ] as const)("%s → refresh: %s", async (_name, options, refreshes) => {
    const issuer = new RotatingIssuer();
    server.use(issuerHandler(issuer));
    const home = await managedHome(options);
    const manager = await create(home);
    const auth = await manager.auth();
    expect(issuer.calls).toBe(refreshes ? 1 : 0);
    if (refreshes) {
      expect(auth?.getTokenData().refreshToken.reveal()).toBe("rt-SECRET-rotated-1");
      const file = readAuthFile(home);
      expect(file.tokens.refresh_token).toBe("rt-SECRET-rotated-1");
      expect(file.last_refresh).toBe("2026-05-01T12:00:00Z");
      expect(file.future_field).toEqual({ kept: true });
    }
  });

  it("a failed proactive refresh logs and still returns the old credentials", async () => {
    server.use(http.post(TOKEN_URL, () => new HttpResponse("<html>down</html>", { status: 503 })));
    const { logger, records } = captureLogger();
    const manager = await create(await managedHome({ exp: 60 }), { logger });
    const auth = await manager.auth();
    expect(auth?.getTokenData().refreshToken.reveal()).toBe(RT);
    expect(records.map((r) => r.msg)).toContainEqual(
      expect.stringContaining("Failed to refresh token: "),
    );
  });

  it("refresh keeps the agent identity and unknown fields, and writes the id token claims", async () => {
    const issuer = new RotatingIssuer();
    server.use(issuerHandler(issuer));
    const home = makeCodexHome();
    const text = readFixture("auth-chatgpt-upstream.json");
    writeFileSync(join(home, "auth.json"), text);
    const manager = await create(home);
    await manager.refreshToken();
    const before = JSON.parse(text);
    const after = readAuthFile(home);
    expect(after.agent_identity).toEqual(before.agent_identity);
    expect(after.tokens.oauth_provenance).toEqual(before.tokens.oauth_provenance);
    expect(after.tokens.login_owner_id).toBe(before.tokens.login_owner_id);
    expect(Object.keys(after.tokens)).toEqual(Object.keys(before.tokens));
    expect(after.tokens.account_id).toBe("ws-123");
    expect(after.tokens.refresh_token).toBe("rt-SECRET-rotated-1");
    expect(Object.keys(after)).toEqual(Object.keys(before));
  });
});

describe("AuthManager: a seed-era agent identity record", () => {
  it("is migrated to 0.169's record by the next write (a refresh)", async () => {
    const issuer = new RotatingIssuer();
    server.use(issuerHandler(issuer));
    const home = makeCodexHome();
    writeFileSync(join(home, "auth.json"), readFixture("auth-seed-era-agent-identity.json"));
    const manager = await create(home);
    await manager.refreshToken();
    const after = readAuthFile(home);
    expect(after.agent_identity).toEqual(
      JSON.parse(readFixture("auth-chatgpt-upstream.json")).agent_identity,
    );
  });
});

describe("AuthManager: refresh failures", () => {
  it("caches a permanent failure against the snapshot: no second network call until auth changes", async () => {
    let calls = 0;
    server.use(
      http.post(TOKEN_URL, () => {
        calls++;
        return HttpResponse.json({ error: { code: "refresh_token_expired" } }, { status: 401 });
      }),
    );
    const home = await managedHome();
    const manager = await create(home);
    const err = await expectLoginError(
      manager.refreshTokenFromAuthority(),
      "refresh_token_expired",
    );
    expect(err.message).toBe(
      "Your access token could not be refreshed because your refresh token has expired. Please log out and sign in again.",
    );
    await expectLoginError(manager.refreshTokenFromAuthority(), "refresh_token_expired");
    await expectLoginError(manager.refreshToken(), "refresh_token_expired");
    expect(calls).toBe(1);
    await new ChatGptAuthFixture(accessToken(3600))
      .refreshToken("rt-new")
      .accountId("ws-1")
      .write(home);
    await manager.reload();
    await expectLoginError(manager.refreshTokenFromAuthority(), "refresh_token_expired");
    expect(calls).toBe(2);
  });

  it("transient failures are not cached", async () => {
    let calls = 0;
    server.use(
      http.post(TOKEN_URL, () => {
        calls++;
        return new HttpResponse(null, { status: 500 });
      }),
    );
    const manager = await create(await managedHome());
    await expectLoginError(manager.refreshToken(), "refresh_failed");
    await expectLoginError(manager.refreshToken(), "refresh_failed");
    expect(calls).toBe(2);
  });

  it("guarded refresh adopts what another writer stored, without the network", async () => {
    const issuer = new RotatingIssuer();
    server.use(issuerHandler(issuer));
    const home = await managedHome();
    const manager = await create(home);
    await new ChatGptAuthFixture(accessToken(7200))
      .refreshToken("rt-by-other")
      .accountId("ws-1")
      .write(home);
    await manager.refreshToken();
    expect(issuer.calls).toBe(0);
    expect(manager.authCached()?.getTokenData().refreshToken.reveal()).toBe("rt-by-other");
  });

  it("guarded refresh fails with account_mismatch when the stored account changed, cache untouched", async () => {
    const home = await managedHome();
    const manager = await create(home);
    const before = manager.authCached();
    await new ChatGptAuthFixture(accessToken(7200)).accountId("ws-2").write(home);
    const err = await expectLoginError(manager.refreshToken(), "account_mismatch");
    expect(err.permanent).toBe(true);
    expect(manager.authCached()).toBe(before);
  });

  it("a store that turned corrupt fails the refresh before any network call and is left alone", async () => {
    const issuer = new RotatingIssuer();
    server.use(issuerHandler(issuer));
    const home = await managedHome();
    const manager = await create(home);
    const original = readFileSync(join(home, "auth.json"), "utf8");
    writeFileSync(join(home, "auth.json"), "{ corrupt");
    // the authority refresh reloads the store to patch it: a corrupt store fails the refresh
    const err = await expectLoginError(manager.refreshTokenFromAuthority(), "auth_file_corrupt");
    expect(err.permanent).toBe(false);
    expect(readFileSync(join(home, "auth.json"), "utf8")).toBe("{ corrupt");
    expect(original).toContain(RT);
    expect(issuer.calls).toBe(0);
  });

  it("a save failure after a successful network refresh: typed, transient, old credentials kept, nothing leaked", async () => {
    const issuer = new RotatingIssuer({ prefix: "rt-unsaved" });
    server.use(issuerHandler(issuer));
    const home = await managedHome();
    const file = new FileAuthStorage(home);
    let saves = 0;
    const storage: AuthStorage = {
      mode: "file",
      load: () => file.load(),
      save: async () => {
        saves++;
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), {
          code: "ENOSPC",
        });
      },
      delete: () => file.delete(),
    };
    const { logger, records } = captureLogger();
    const manager = await create(home, { storage, logger });
    expect(manager.storeMode).toBe("file");
    const before = manager.authCached();
    const bytesBefore = readFileSync(join(home, "auth.json"), "utf8");
    const err = await expectLoginError(manager.refreshTokenFromAuthority(), "refresh_failed");
    expect(err.message).toBe("Failed to refresh token: the new tokens could not be saved");
    expect(err.permanent).toBe(false);
    expect((err.cause as NodeJS.ErrnoException).code).toBe("ENOSPC");
    expect(issuer.calls).toBe(1);
    expect(saves).toBe(1);
    // memory and disk both still hold the old credentials, and agree
    expect(manager.authCached()).toBe(before);
    expect(manager.authCached()?.getTokenData().refreshToken.reveal()).toBe(RT);
    expect(readFileSync(join(home, "auth.json"), "utf8")).toBe(bytesBefore);
    expect(readAuthFile(home).tokens.refresh_token).toBe(RT);
    expect(readdirSync(home).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    // the credential flocks were released (their files stay, empty, as upstream's do)
    for (const name of ["auth.lock", "auth.json.lock"]) {
      const lock = await tryLockFile(join(home, name));
      expect(lock?.held).toBe(true);
      await lock?.release();
      expect(readFileSync(join(home, name), "utf8")).toBe("");
    }
    // proactive refresh through auth(): logged, old credentials returned, nothing secret printed
    const expiring = await create(await managedHome({ exp: 60 }), { storage, logger });
    const old = expiring.authCached();
    expect(await expiring.auth()).toBe(old);
    const issued = [...issuer.spent.keys()].concat("rt-unsaved-SECRET-rotated-1");
    const printed = [
      inspect(err, { depth: 8 }),
      JSON.stringify(err),
      ...records.map((r) => JSON.stringify(r)),
    ].join("\n");
    expect(printed).toContain("the new tokens could not be saved");
    for (const secret of issued) expect(printed).not.toContain(secret);
    expect(printed).not.toContain(RT);
  });

  it("the default client (undici dispatcher) is used when none is injected", async () => {
    const issuer = new RotatingIssuer();
    server.use(issuerHandler(issuer));
    const manager = await AuthManager.create({ codexHome: await managedHome(), env: {} });
    await manager.refreshTokenFromAuthority();
    expect(issuer.calls).toBe(1);
  });

  it("an unreadable custom CA fails the refresh with a typed, transient error", async () => {
    const manager = await AuthManager.create({
      codexHome: await managedHome(),
      env: { CODEX_CA_CERTIFICATE: "/nonexistent/ca.pem" },
    });
    const err = await expectLoginError(manager.refreshTokenFromAuthority(), "refresh_failed");
    expect(err.permanent).toBe(false);
  });

  it("API keys: refresh is a no-op", async () => {
    const home = makeCodexHome();
    await writeApiKeyAuth(home, registerSecret("sk-noop-SECRET"));
    const manager = await create(home);
    await manager.refreshToken();
    expect(manager.authCached()?.apiAuthMode).toBe("apikey");
  });
});

describe("AuthManager: unauthorized recovery (managed)", () => {
  it("reload → refresh_token → done, with telemetry names", async () => {
    const issuer = new RotatingIssuer();
    server.use(issuerHandler(issuer));
    const manager = await create(await managedHome());
    const recovery = manager.unauthorizedRecovery();
    expect([recovery.modeName(), recovery.stepName(), recovery.unavailableReason()]).toEqual([
      "managed",
      "reload",
      "ready",
    ]);
    expect(await recovery.next()).toEqual({ authStateChanged: false });
    expect(recovery.stepName()).toBe("refresh_token");
    expect(await recovery.next()).toEqual({ authStateChanged: true });
    expect(issuer.calls).toBe(1);
    expect([recovery.stepName(), recovery.hasNext(), recovery.unavailableReason()]).toEqual([
      "done",
      false,
      "recovery_exhausted",
    ]);
    const err = await expectLoginError(recovery.next(), "recovery_exhausted");
    expect(err.message).toBe("No more recovery steps available.");
  });

  it("the reload step adopts tokens another process stored (auth state changed, no network)", async () => {
    const issuer = new RotatingIssuer();
    server.use(issuerHandler(issuer));
    const home = await managedHome();
    const manager = await create(home);
    const recovery = manager.unauthorizedRecovery();
    await new ChatGptAuthFixture(accessToken(7200))
      .refreshToken("rt-disk")
      .accountId("ws-1")
      .write(home);
    expect(await recovery.next()).toEqual({ authStateChanged: true });
    expect(manager.authCached()?.getTokenData().refreshToken.reveal()).toBe("rt-disk");
    expect(issuer.calls).toBe(0);
  });

  it("the reload step gives up with account_mismatch when another account is stored", async () => {
    const home = await managedHome();
    const manager = await create(home);
    const recovery = manager.unauthorizedRecovery();
    await new ChatGptAuthFixture(accessToken(7200)).accountId("ws-other").write(home);
    await expectLoginError(recovery.next(), "account_mismatch");
    expect(recovery.stepName()).toBe("done");
  });

  it("API keys get no recovery", async () => {
    const home = makeCodexHome();
    await writeApiKeyAuth(home, registerSecret("sk-recovery-SECRET"));
    const recovery = (await create(home)).unauthorizedRecovery();
    expect([recovery.hasNext(), recovery.unavailableReason()]).toEqual([false, "not_chatgpt_auth"]);
  });

  it("1000 concurrent recoveries make exactly one token-endpoint call", async () => {
    const issuer = new RotatingIssuer();
    server.use(issuerHandler(issuer));
    const manager = await create(await managedHome());
    const recoveries = Array.from({ length: 1000 }, () => manager.unauthorizedRecovery());
    await Promise.all(
      recoveries.map(async (r) => {
        await r.next();
        if (r.hasNext()) await r.next();
      }),
    );
    expect(issuer.calls).toBe(1);
    expect(issuer.reused()).toEqual([]);
    expect(manager.authCached()?.getTokenData().refreshToken.reveal()).toBe("rt-SECRET-rotated-1");
  });

  it("a burst of recoveries reads the store once for the reload step (no read per request)", async () => {
    const home = await managedHome();
    const file = new FileAuthStorage(home);
    let loads = 0;
    const storage: AuthStorage = {
      mode: "file",
      load: () => {
        loads++;
        return file.load();
      },
      save: (a) => file.save(a),
      delete: () => file.delete(),
    };
    const manager = await create(home, { storage });
    expect(loads).toBe(1);
    const recoveries = Array.from({ length: 200 }, () => manager.unauthorizedRecovery());
    const steps = await Promise.all(recoveries.map((r) => r.next()));
    expect(steps.every((s) => s.authStateChanged === false)).toBe(true);
    expect(loads).toBe(2);
    expect(recoveries.every((r) => r.stepName() === "refresh_token")).toBe(true);
  });

  it("concurrent refreshToken() calls share one request", async () => {
    const issuer = new RotatingIssuer();
    server.use(issuerHandler(issuer));
    const manager = await create(await managedHome({ exp: 10 }));
    await Promise.all(Array.from({ length: 50 }, () => manager.auth()));
    await Promise.all(Array.from({ length: 50 }, () => manager.refreshToken()));
    expect(issuer.calls).toBe(2);
  });
});

describe("AuthManager: host-owned tokens (chatgptAuthTokens)", () => {
  const hostToken = (n: number) =>
    registerSecret(
      encodeAccessToken({
        exp: NOW_S + 3600,
        claims: { chatgptAccountId: "ws-h", planType: "plus", extra: { n, SECRET: "host" } },
      }),
    );

  it("lives in memory only, beats the stored login, and logout clears it", async () => {
    const home = await managedHome();
    const manager = await create(home);
    const onDisk = readFileSync(join(home, "auth.json"), "utf8");
    await manager.loginWithChatgptAuthTokens(hostToken(1), "ws-host", "PRO");
    const auth = manager.authCached();
    expect(auth?.apiAuthMode).toBe("chatgptAuthTokens");
    expect(auth?.authMode).toBe("chatgpt");
    expect(auth?.getAccountId()).toBe("ws-host");
    expect(auth?.getChatgptAccountIdClaim()).toBe("ws-host");
    expect(auth?.accountPlanType()).toEqual({ known: "pro" });
    expect(auth?.getTokenData().refreshToken.reveal()).toBe("");
    expect(manager.hasExternalAuthTokens()).toBe(true);
    expect(readFileSync(join(home, "auth.json"), "utf8")).toBe(onDisk);
    const other = await create(home);
    expect(other.authCached()?.apiAuthMode).toBe("chatgptAuthTokens");
    expect((await manager.logout()).removed).toBe(true);
    expect(manager.authCached()).toBeUndefined();
  });

  it("plan falls back to the token claim; bad input is typed", async () => {
    const manager = await create(makeCodexHome(), { storeMode: "ephemeral" });
    await manager.loginWithChatgptAuthTokens(hostToken(2), "ws-h");
    expect(manager.authCached()?.accountPlanType()).toEqual({ known: "plus" });
    await expectLoginError(
      manager.loginWithChatgptAuthTokens("not-a-jwt-SECRET", "ws-h"),
      "invalid_id_token",
    );
    await expectLoginError(
      manager.loginWithChatgptAuthTokens(hostToken(3), ""),
      "external_metadata_missing",
    );
    await expectLoginError(manager.loginWithChatgptAuthTokens("", "ws-h"), "invalid_argument");
    await manager.logout();
  });

  it("respects the forced workspace at login", async () => {
    const manager = await create(makeCodexHome(), { forcedChatgptWorkspaceId: "ws-forced" });
    const err = await expectLoginError(
      manager.loginWithChatgptAuthTokens(hostToken(4), "ws-h"),
      "login_restricted",
    );
    expect(err.message).toBe("Login is restricted to workspace id(s) ws-forced.");
  });

  function externalManager(
    externalAuth: ExternalAuth | undefined,
    extra: Partial<AuthManagerOptions> = {},
  ) {
    return create(makeCodexHome(), { externalAuth, ...extra }).then(async (m) => {
      await m.loginWithChatgptAuthTokens(hostToken(5), "ws-h");
      return m;
    });
  }

  it("external recovery asks the host once and installs its answer (agent identity kept)", async () => {
    const contexts: unknown[] = [];
    const manager = await externalManager({
      async refresh(ctx) {
        contexts.push({ reason: ctx.reason, previousAccountId: ctx.previousAccountId });
        return {
          accessToken: hostToken(6),
          chatgptMetadata: { accountId: "ws-h", planType: "team" },
        };
      },
    });
    const recovery = manager.unauthorizedRecovery();
    expect([recovery.modeName(), recovery.stepName()]).toEqual(["external", "external_refresh"]);
    expect(await recovery.next()).toEqual({ authStateChanged: true });
    expect(contexts).toEqual([{ reason: "unauthorized", previousAccountId: "ws-h" }]);
    expect(manager.authCached()?.getToken().reveal()).toBe(hostToken(6));
    expect(manager.authCached()?.accountPlanType()).toEqual({ known: "team" });
    expect(recovery.hasNext()).toBe(false);
    await manager.logout();
  });

  it.each([
    [
      "the host errors",
      async () => Promise.reject(new Error("host exploded")),
      "external_auth_failed",
    ],
    ["no metadata", async () => ({ accessToken: "x" }), "external_metadata_missing"],
    [
      "another workspace",
      async () => ({ accessToken: hostToken(7), chatgptMetadata: { accountId: "ws-evil" } }),
      "workspace_mismatch",
    ],
  ] as const)("fails when %s", async (_n, refresh, code) => {
    const manager = await externalManager({ refresh }, { forcedChatgptWorkspaceId: undefined });
    if (code === "workspace_mismatch") manager.setForcedChatgptWorkspaceId("ws-h");
    const err = await expectLoginError(
      manager.unauthorizedRecovery().next(),
      code as LoginErrorCode,
    );
    if (code === "workspace_mismatch") {
      expect(err.message).toBe(
        'external auth refresh returned workspace "ws-evil", expected "ws-h"',
      );
    }
    expect(manager.authCached()?.getToken().reveal()).toBe(hostToken(5));
    await manager.logout();
  });

  it("times out after 10 s (fake timers) and aborts the host call", async () => {
    let aborted = false;
    const manager = await externalManager({
      refresh: ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener("abort", () => {
            aborted = true;
            reject(new Error("aborted"));
          });
        }),
    });
    vi.useFakeTimers();
    try {
      const pending = expectLoginError(
        manager.unauthorizedRecovery().next(),
        "external_auth_timeout",
      );
      await vi.advanceTimersByTimeAsync(9_999);
      expect(aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const err = await pending;
      expect(err.message).toBe("auth refresh request timed out after 10s");
      expect(aborted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    await manager.logout();
  });

  it("without a host refresher there is no external recovery", async () => {
    const manager = await externalManager(undefined);
    const recovery = manager.unauthorizedRecovery();
    expect([recovery.hasNext(), recovery.unavailableReason()]).toEqual([false, "no_external_auth"]);
    await expectLoginError(manager.refreshTokenFromAuthority(), "external_auth_not_configured");
    await manager.logout();
  });
});

describe("AuthManager: login, logout and restrictions", () => {
  it("loginWithApiKey writes upstream's API-key file; logout removes it", async () => {
    const home = makeCodexHome();
    const manager = await create(home);
    const key = registerSecret("sk-login-SECRET-1");
    await manager.loginWithApiKey(key);
    expect(readFileSync(join(home, "auth.json"), "utf8")).toBe(
      serializeAuthDotJson({ authMode: "apikey", openaiApiKey: new Secret(key) }),
    );
    expect(manager.authCached()?.apiAuthMode).toBe("apikey");
    expect((await manager.logout()).removed).toBe(true);
    expect((await manager.logout()).removed).toBe(false);
    await expectLoginError(manager.loginWithApiKey("  "), "invalid_argument");
  });

  it.each([
    [
      "api forced, ChatGPT stored",
      { forcedLoginMethod: "api" },
      "chatgpt",
      "API key login is required, but ChatGPT is currently being used. Logging out.",
    ],
    [
      "chatgpt forced, key stored",
      { forcedLoginMethod: "chatgpt" },
      "apikey",
      "ChatGPT login is required, but an API key is currently being used. Logging out.",
    ],
    [
      "another workspace",
      { forcedChatgptWorkspaceId: "ws-forced" },
      "chatgpt",
      "Login is restricted to workspace ws-forced, but current credentials belong to ws-1. Logging out.",
    ],
  ] as const)(
    "enforces %s: logs out with upstream's message",
    async (_n, options, stored, message) => {
      const home = stored === "chatgpt" ? await managedHome() : makeCodexHome();
      if (stored === "apikey") await writeApiKeyAuth(home, registerSecret("sk-enforce-SECRET"));
      const manager = await create(home, options);
      const err = await expectLoginError(manager.enforceLoginRestrictions(), "login_restricted");
      expect(err.message).toBe(message);
      expect(manager.authCached()).toBeUndefined();
      expect(await create(home).then((m) => m.authCached())).toBeUndefined();
    },
  );

  it("enforcement: a token without a workspace claim, and compliant credentials", async () => {
    const home = makeCodexHome();
    await new ChatGptAuthFixture(accessToken(3600)).accountId("ws-1").write(home);
    const manager = await create(home, { forcedChatgptWorkspaceId: "ws-1" });
    const err = await expectLoginError(manager.enforceLoginRestrictions(), "login_restricted");
    expect(err.message).toBe(
      "Login is restricted to workspace ws-1, but current credentials lack a workspace identifier. Logging out.",
    );
    const ok = await create(await managedHome(), {
      forcedChatgptWorkspaceId: "ws-1",
      forcedLoginMethod: "chatgpt",
    });
    await ok.enforceLoginRestrictions();
    expect(ok.authCached()?.apiAuthMode).toBe("chatgpt");
  });

  it("a corrupt file under a forced workspace is logged out with upstream's message", async () => {
    const home = makeCodexHome();
    writeFileSync(join(home, "auth.json"), "{");
    const manager = await create(home, { forcedChatgptWorkspaceId: "ws-1" });
    const err = await expectLoginError(manager.enforceLoginRestrictions(), "login_restricted");
    expect(err.message).toMatch(
      /^Failed to load ChatGPT credentials while enforcing workspace restrictions: .*\. Logging out\.$/,
    );
  });

  it("forced login method blocks the other login kind", async () => {
    const chatgptOnly = await create(makeCodexHome(), { forcedLoginMethod: "chatgpt" });
    await expectLoginError(chatgptOnly.loginWithApiKey("sk-x-SECRET-blocked"), "login_restricted");
  });

  it("ChatGPT authorization header from the manager's settings: Bearer, account id, none for API keys", async () => {
    const home = await managedHome();
    const manager = await create(home);
    const seen: number[] = [];
    manager.subscribe(() => seen.push(1));
    const at = manager.authCached()?.getToken().reveal();
    // no base URL configured → Bearer (upstream), and the account header rides along
    expect(await manager.chatgptAuthorizationHeader()).toBe(`Bearer ${at}`);
    expect(await manager.chatgptRequestAuthHeaders()).toEqual({
      authorization: `Bearer ${at}`,
      "chatgpt-account-id": "ws-1",
    });
    // enabled on an allowed host but no stored identity → still Bearer
    manager.setChatgptBackend({ baseUrl: "https://chatgpt.com/backend-api", mode: "enabled" });
    expect(seen).toHaveLength(1);
    expect(manager.chatgptBackend.mode).toBe("enabled");
    expect(await manager.chatgptAuthorizationHeaderForAuth(manager.authCached())).toBe(
      `Bearer ${at}`,
    );
    const apiKeyHome = makeCodexHome();
    await writeApiKeyAuth(apiKeyHome, registerSecret("sk-header-SECRET-1"));
    const apiKey = await create(apiKeyHome);
    expect(await apiKey.chatgptAuthorizationHeader()).toBeUndefined();
    expect(await apiKey.chatgptRequestAuthHeaders()).toEqual({});
  });

  it("changing the forced workspace notifies subscribers", async () => {
    const manager = await create(makeCodexHome());
    let fired = 0;
    manager.subscribe(() => fired++);
    manager.setForcedChatgptWorkspaceId("ws-9");
    expect(fired).toBe(1);
    expect(manager.forcedChatgptWorkspaceId).toBe("ws-9");
  });

  it("saveAuth stores a login and reloads", async () => {
    const home = makeCodexHome();
    const manager = await create(home);
    const dot = parseAuthDotJson(readFixture("auth-chatgpt-minimal-upstream.json"));
    await manager.saveAuth(dot);
    expect(manager.authCached()?.apiAuthMode).toBe("chatgpt");
    expect(readFileSync(join(home, "auth.json"), "utf8")).toBe(
      readFixture("auth-chatgpt-minimal-upstream.json"),
    );
  });
});

// Token refresh against the credential flocks shared with upstream codex: the outer lock spans the
// token request (never auth.json.lock), a rotation made while we waited is adopted without a
// request, the commit compares access/refresh token, account and mode (upstream's "Account
// credentials changed during refresh."), and a symlinked auth.json stays a symlink.
import {
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { createHttpClient } from "@codex/http";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { expectLoginError, registerSecret } from "../test/support/capture.js";
import { useMswServer } from "../test/support/msw.js";
import { RotatingIssuer } from "../test/support/rotating-issuer.js";
import { makeCodexHome } from "../test/support/tmp.js";
import { serializeAuthDotJson } from "./auth-dot-json.js";
import { AuthManager } from "./auth-manager.js";
import { lockFile, tryLockFile } from "./internal/flock.js";
import type { AuthManagerOptions } from "./login-config.js";
import type { CredentialLockWaitEvent } from "./storage/auth-storage.js";
import { ChatGptAuthFixture, encodeAccessToken } from "./testing/index.js";

const { server } = useMswServer();
const TOKEN_URL = "https://auth.openai.com/oauth/token";
const RT = registerSecret("rt-locks-SECRET-0");
const AT = registerSecret(
  encodeAccessToken({ exp: 4_000_000_000, claims: { extra: { SECRET: "l0" } } }),
);

async function home(): Promise<string> {
  const dir = makeCodexHome();
  await new ChatGptAuthFixture(AT).refreshToken(RT).accountId("ws-1").write(dir);
  return dir;
}

function create(codexHome: string, extra: Partial<AuthManagerOptions> = {}): Promise<AuthManager> {
  return AuthManager.create({ codexHome, http: createHttpClient(), env: {}, ...extra });
}

function readAuth(path: string) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Whether another open file description could take `path`'s flock right now. */
async function state(path: string): Promise<"held" | "free"> {
  const lock = await tryLockFile(path);
  await lock?.release();
  return lock === undefined ? "held" : "free";
}

describe("token refresh under the credential flocks", () => {
  it("holds auth.lock across the token request, never auth.json.lock", async () => {
    const dir = await home();
    const issuer = new RotatingIssuer({ prefix: "rt-locks-a" });
    const during: string[] = [];
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        during.push(await state(join(dir, "auth.lock")), await state(join(dir, "auth.json.lock")));
        const reply = issuer.handle(await request.json());
        return HttpResponse.json(reply.body, { status: reply.status });
      }),
    );
    const manager = await create(dir);
    await manager.refreshToken();
    expect(during).toEqual(["held", "free"]);
    expect(readAuth(join(dir, "auth.json")).tokens.refresh_token).toBe(
      "rt-locks-a-SECRET-rotated-1",
    );
    expect(await state(join(dir, "auth.lock"))).toBe("free");
  });

  it("waits (reported) for auth.lock held by another process and adopts the rotation it made, with no request", async () => {
    const dir = await home();
    const issuer = new RotatingIssuer({ prefix: "rt-locks-b" });
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        const reply = issuer.handle(await request.json());
        return HttpResponse.json(reply.body, { status: reply.status });
      }),
    );
    const waits: CredentialLockWaitEvent[] = [];
    const manager = await create(dir, { credentialLocks: { onWait: (e) => waits.push(e) } });
    const other = await lockFile(join(dir, "auth.lock"), { timeoutMs: 0 });
    const refreshing = manager.refreshToken();
    while (waits.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(waits).toEqual([{ lock: "auth.lock", path: join(dir, "auth.lock") }]);
    // the holder rotates the tokens (as another codex process would), then lets go
    const rotated = registerSecret("rt-locks-b-SECRET-by-other");
    const otherAccess = registerSecret(
      encodeAccessToken({ exp: 4_000_000_001, claims: { extra: { SECRET: "other" } } }),
    );
    // written directly: a save through the store would wait for the lock this test holds
    const dot = new ChatGptAuthFixture(otherAccess).refreshToken(rotated).accountId("ws-1").build();
    writeFileSync(join(dir, "auth.json"), serializeAuthDotJson(dot));
    await other.release();
    await refreshing;
    expect(issuer.calls).toBe(0);
    expect(manager.authCached()?.getTokenData().refreshToken.reveal()).toBe(rotated);
  });

  it("bounds the wait for auth.lock: lock_timeout, nothing sent, nothing written", async () => {
    const dir = await home();
    const issuer = new RotatingIssuer({ prefix: "rt-locks-c" });
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        const reply = issuer.handle(await request.json());
        return HttpResponse.json(reply.body, { status: reply.status });
      }),
    );
    const before = readFileSync(join(dir, "auth.json"), "utf8");
    const manager = await create(dir, { credentialLocks: { timeoutMs: 50 } });
    const other = await lockFile(join(dir, "auth.lock"), { timeoutMs: 0 });
    try {
      const err = await expectLoginError(manager.refreshToken(), "lock_timeout");
      expect(err.message).toContain("auth.lock");
    } finally {
      await other.release();
    }
    expect(issuer.calls).toBe(0);
    expect(readFileSync(join(dir, "auth.json"), "utf8")).toBe(before);
  });

  it("a writer that ignores the locks and changes the tokens during the request: credentials_changed, nothing written, the disk adopted", async () => {
    for (const change of ["refresh_token", "access_token", "account_id", "auth_mode"] as const) {
      const dir = await home();
      const issuer = new RotatingIssuer({ prefix: `rt-locks-d-${change}` });
      let written = "";
      server.use(
        http.post(TOKEN_URL, async ({ request }) => {
          const dot = readAuth(join(dir, "auth.json"));
          if (change === "auth_mode") dot.auth_mode = "chatgptAuthTokens";
          else if (change === "account_id") dot.tokens.account_id = "ws-other";
          else dot.tokens[change] = registerSecret(`${change}-SECRET-changed`);
          written = JSON.stringify(dot, null, 2);
          writeFileSync(join(dir, "auth.json"), written);
          const reply = issuer.handle(await request.json());
          return HttpResponse.json(reply.body, { status: reply.status });
        }),
      );
      const manager = await create(dir);
      const err = await expectLoginError(manager.refreshToken(), "credentials_changed");
      expect(err.message).toBe("Account credentials changed during refresh.");
      expect(err.permanent).toBe(false);
      expect(issuer.calls).toBe(1);
      expect(readFileSync(join(dir, "auth.json"), "utf8")).toBe(written);
      if (change === "refresh_token") {
        expect(manager.authCached()?.getTokenData().refreshToken.reveal()).toBe(
          "refresh_token-SECRET-changed",
        );
      }
    }
  });

  it("commits anyway when only other members changed, keeping them (upstream commits too)", async () => {
    const dir = await home();
    const issuer = new RotatingIssuer({ prefix: "rt-locks-e" });
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        const dot = readAuth(join(dir, "auth.json"));
        dot.added_by_other = { kept: true };
        dot.last_refresh = "2020-01-01T00:00:00Z";
        writeFileSync(join(dir, "auth.json"), JSON.stringify(dot));
        const reply = issuer.handle(await request.json());
        return HttpResponse.json(reply.body, { status: reply.status });
      }),
    );
    const manager = await create(dir, { now: () => new Date("2026-05-01T12:00:00Z") });
    await manager.refreshToken();
    const after = readAuth(join(dir, "auth.json"));
    expect(after.added_by_other).toEqual({ kept: true });
    expect(after.tokens.refresh_token).toBe("rt-locks-e-SECRET-rotated-1");
    expect(after.last_refresh).toBe("2026-05-01T12:00:00Z");
  });

  it("a symlinked auth.json: lock and temp beside the target, the symlink survives, 0600", async () => {
    const dir = await home();
    const elsewhere = join(makeCodexHome(), "other");
    mkdirSync(elsewhere);
    renameSync(join(dir, "auth.json"), join(elsewhere, "real.json"));
    symlinkSync(join(elsewhere, "real.json"), join(dir, "auth.json"));
    const issuer = new RotatingIssuer({ prefix: "rt-locks-f" });
    const during: string[] = [];
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        const reply = issuer.handle(await request.json());
        return HttpResponse.json(reply.body, { status: reply.status });
      }),
    );
    const manager = await create(dir);
    await manager.refreshToken();
    during.push(await state(join(elsewhere, "real.json.lock")));
    expect(lstatSync(join(dir, "auth.json")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, "auth.json"))).toBe(join(elsewhere, "real.json"));
    expect(readAuth(join(elsewhere, "real.json")).tokens.refresh_token).toBe(
      "rt-locks-f-SECRET-rotated-1",
    );
    expect(statSync(join(elsewhere, "real.json")).mode & 0o777).toBe(0o600);
    expect(statSync(join(elsewhere, "real.json.lock")).isFile()).toBe(true);
    expect(during).toEqual(["free"]);
    // logout unlinks auth.json (the link) under the same locks, as upstream does
    await manager.logout();
    expect(() => lstatSync(join(dir, "auth.json"))).toThrow();
  });
});

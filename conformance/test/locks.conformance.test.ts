// The credential locks of @codex/login against the real codex 0.169 binary (issue 11): upstream's
// `flock` on auth.lock makes our commit wait and ours makes upstream wait; upstream and our
// process refreshing one home concurrently never leave a file upstream cannot read and never lose
// the live credential. To make upstream hold a lock for seconds, its `flock` return is delayed with
// `strace -e inject=flock:delay_exit=...` (the lock is taken in the kernel before the delay).
import { spawn, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwtClaims, encodeUnsignedJwt, startFakeBackend } from "@codex/fake-backend";
import {
  AuthManager,
  type AuthStorage,
  type CredentialLockWaitEvent,
  isLoginError,
} from "@codex/login";
import { Secret } from "@codex/wire";
import { afterAll, afterEach, describe, expect, inject, it, type TestContext } from "vitest";
import {
  createTempCodexHome,
  killLiveCodexRuns,
  runCodex,
  type TempCodexHome,
  writeFakeProviderConfig,
} from "../src/codex-harness.js";
import { chatgptAuth, ourFileStore } from "../src/our-login.js";

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

function which(tool: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Skips (prints why), or fails under CODEX_REQUIRE_SYSTEM_TESTS=1, when `tool` is missing. */
function requireTool(ctx: TestContext, tool: string, hint: string): string {
  const path = which(tool);
  if (path !== undefined) return path;
  const line = `${tool} is not on PATH (${hint}; scripts/install-test-deps.sh installs it)`;
  if (process.env.CODEX_REQUIRE_SYSTEM_TESTS === "1") throw new Error(line);
  process.stderr.write(`[conformance] skipped: ${line}\n`);
  ctx.skip();
  return "";
}

/** One non-blocking try of util-linux flock(1): is `path` locked by some process right now? */
function busy(path: string): boolean {
  return spawnSync("flock", ["-n", "-x", path, "true"]).status === 1;
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function storedKey(text: string): unknown {
  return (JSON.parse(text) as { OPENAI_API_KEY?: unknown }).OPENAI_API_KEY;
}

describe("upstream codex 0.169 and @codex/login exclude each other with flock", () => {
  it("auth.lock held by upstream (its flock return delayed 3 s) makes our login wait; ours lands after", async (ctx) => {
    const strace = requireTool(ctx, "strace", "Debian package strace");
    requireTool(ctx, "flock", "Debian package util-linux");
    const home = await freshHome();
    const upstream = runCodex(
      strace,
      [
        "-f",
        "-qq",
        "-o",
        "/dev/null",
        "-e",
        "trace=flock",
        "-e",
        "inject=flock:delay_exit=3000000:when=1",
        codex,
        "login",
        "--with-api-key",
      ],
      { home, stdin: "sk-upstream-0123456789\n", timeoutMs: 60_000 },
    );
    await until("upstream holds auth.lock", () => busy(join(home.home, "auth.lock")));
    const waits: CredentialLockWaitEvent[] = [];
    const manager = await AuthManager.create({
      codexHome: home.home,
      storeMode: "file",
      env: {},
      credentialLocks: { onWait: (event) => waits.push(event) },
    });
    await manager.loginWithApiKey("sk-ours-0123456789");
    const run = await upstream;
    expect(run.code, run.stderr).toBe(0);
    expect(waits.map((w) => w.lock)).toContain("auth.lock");
    // upstream committed first (it held the lock); ours came after and is what is stored
    expect(storedKey(await readFile(join(home.home, "auth.json"), "utf8"))).toBe(
      "sk-ours-0123456789",
    );
    const status = await runCodex(codex, ["login", "status"], { home });
    expect(status.code, status.stderr).toBe(0);
  });

  it("auth.lock held by us makes upstream's login wait until we let go", async () => {
    const home = await freshHome();
    const storage = await ourFileStore(home);
    let upstream: ReturnType<typeof runCodex> | undefined;
    let duringOurLock = "";
    await storage.withLock?.(async (scope) => {
      upstream = runCodex(codex, ["login", "--with-api-key"], {
        home,
        stdin: "sk-upstream-0123456789\n",
        timeoutMs: 60_000,
      });
      // give upstream ample time to reach its lock (no timing assertion: it must not get past it)
      await new Promise((r) => setTimeout(r, 2_000));
      await scope.commit(() =>
        storage.save({ authMode: "apikey", openaiApiKey: new Secret("sk-ours-01234") }),
      );
      duringOurLock = await readFile(join(home.home, "auth.json"), "utf8");
    });
    expect(upstream).toBeDefined();
    const run = await (upstream as ReturnType<typeof runCodex>);
    expect(run.code, run.stderr).toBe(0);
    // while we held auth.lock, upstream had not written; once we let go, it did
    expect(storedKey(duringOurLock)).toBe("sk-ours-01234");
    expect(storedKey(await readFile(join(home.home, "auth.json"), "utf8"))).toBe(
      "sk-upstream-0123456789",
    );
  });
});

/**
 * A token endpoint that rotates refresh tokens and answers a spent one with 401
 * `refresh_token_reused`, without revoking the family (unlike @codex/fake-backend): upstream sends
 * its request before taking any lock, so when both sides refresh at once both may present the same
 * token; revoking the family would then end every credential whatever we do. What this test checks
 * is ours: the stored refresh token is always a live one, and the file is always readable.
 */
class RotatingEndpoint {
  readonly live = new Set<string>();
  readonly spent = new Set<string>();
  readonly presented: { token: string; by: "upstream" | "ours"; outcome: string }[] = [];
  #n = 0;
  #server: Server | undefined;
  url = "";

  constructor(readonly accountId: string) {}

  mint(): { accessToken: string; refreshToken: string; idToken: string } {
    const n = ++this.#n;
    const now = Math.floor(Date.now() / 1000);
    const auth = {
      chatgpt_account_id: this.accountId,
      chatgpt_plan_type: "plus",
      chatgpt_user_id: "user-locks",
      user_id: "user-locks",
    };
    const refreshToken = `rt-locks-${n}`;
    this.live.add(refreshToken);
    return {
      refreshToken,
      accessToken: encodeUnsignedJwt({ exp: now + 3600, n, "https://api.openai.com/auth": auth }),
      idToken: encodeUnsignedJwt({
        iss: "https://auth.openai.com",
        aud: ["app_EMoamEEZ73f0CkXaXp7hrann"],
        sub: "auth0|user-locks",
        email: "locks@example.com",
        exp: now + 3600,
        iat: now,
        "https://api.openai.com/auth": auth,
      }),
    };
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      void this.#handle(req).then(({ status, body }) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/oauth/token`;
  }

  async #handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    let text = "";
    for await (const chunk of req) text += chunk;
    const token = (JSON.parse(text) as { refresh_token?: string }).refresh_token ?? "";
    // upstream's user agent starts with its originator (here the app-server client's name)
    const by = (req.headers["user-agent"] ?? "").startsWith("codex_") ? "upstream" : "ours";
    if (!this.live.has(token)) {
      this.presented.push({ token, by, outcome: "refresh_token_reused" });
      return {
        status: 401,
        body: { error: { code: "refresh_token_reused", message: "already used" } },
      };
    }
    this.live.delete(token);
    this.spent.add(token);
    this.presented.push({ token, by, outcome: "ok" });
    const next = this.mint();
    return {
      status: 200,
      body: {
        id_token: next.idToken,
        access_token: next.accessToken,
        refresh_token: next.refreshToken,
      },
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) =>
      this.#server ? this.#server.close(() => resolve()) : resolve(),
    );
  }
}

describe("upstream codex 0.169 and @codex/login refreshing one home at the same time", () => {
  it("50 rounds of upstream (codex exec, expired access token) and our forced refresh at once: upstream can always read auth.json, the stored refresh token is always live", async () => {
    const home = await freshHome();
    const endpoint = new RotatingEndpoint("acct-locks");
    await endpoint.start();
    const first = endpoint.mint();
    const storage = await ourFileStore(home);
    await storage.save(
      chatgptAuth({
        accessToken: first.accessToken,
        refreshToken: first.refreshToken,
        account: { chatgptAccountId: "acct-locks", email: "locks@example.com", planType: "plus" },
      }),
    );
    // upstream refreshes (each round starts with an expired access token), then runs its turn
    // against the fake backend; only the refresh matters here
    const backend = await startFakeBackend({ account: { chatgptAccountId: "acct-locks" } });
    await writeFakeProviderConfig(home, {
      baseUrl: `${backend.chatgptBaseUrl}/codex`,
      chatgptBaseUrl: backend.chatgptBaseUrl,
    });
    const manager = await AuthManager.create({
      codexHome: home.home,
      storeMode: "file",
      env: {},
      refreshTokenUrl: endpoint.url,
    });
    const random = mulberry32(0x10c5);
    const ourErrors: string[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        await expireStoredAccessToken(storage);
        await manager.reload();
        const delay = Math.floor(random() * 600);
        const [, ours] = await Promise.allSettled([
          runCodex(codex, ["exec", "--skip-git-repo-check", "hi"], {
            home,
            env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: endpoint.url },
            timeoutMs: 20_000,
          }),
          new Promise((r) => setTimeout(r, delay)).then(() => manager.refreshToken()),
        ]);
        if (ours.status === "rejected") {
          ourErrors.push(isLoginError(ours.reason) ? ours.reason.code : String(ours.reason));
        }
        const status = await runCodex(codex, ["login", "status"], { home, timeoutMs: 30_000 });
        expect(status.code, `round ${round}: ${status.stderr}`).toBe(0);
        const stored = JSON.parse(await readFile(join(home.home, "auth.json"), "utf8")) as {
          tokens: { refresh_token: string };
        };
        expect(endpoint.live.has(stored.tokens.refresh_token), `round ${round}`).toBe(true);
      }
    } finally {
      await endpoint.close();
      await backend.close();
    }
    const ok = endpoint.presented.filter((p) => p.outcome === "ok");
    expect(ok.some((p) => p.by === "ours")).toBe(true);
    expect(ok.some((p) => p.by === "upstream")).toBe(true);
    // our process never presented a token it had spent itself
    const oursSpent = new Set<string>();
    for (const p of endpoint.presented.filter((q) => q.by === "ours")) {
      expect(oursSpent.has(p.token)).toBe(false);
      oursSpent.add(p.token);
    }
    // the only failures on our side are the issuer's answer to a race upstream started
    expect(ourErrors.filter((code) => code !== "refresh_token_reused")).toEqual([]);
    process.stderr.write(
      `[conformance] ${ROUNDS} rounds: ${ok.length} refreshes (${ok.filter((p) => p.by === "ours").length} ours), ` +
        `${endpoint.presented.length - ok.length} reuses, our errors ${ourErrors.length}\n`,
    );
  }, 480_000); // a bound (about 2 min on a loaded 2-core machine), not a speed target
});

const ROUNDS = 50;

/** Rewrites the stored access token as expired (through our store: a locked commit). */
async function expireStoredAccessToken(storage: AuthStorage): Promise<void> {
  const stored = await storage.load();
  if (stored?.tokens === undefined) throw new Error("no tokens stored");
  const claims = decodeJwtClaims(stored.tokens.accessToken.reveal());
  const expired = encodeUnsignedJwt({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 });
  await storage.save({ ...stored, tokens: { ...stored.tokens, accessToken: new Secret(expired) } });
}

/** Seeded PRNG (mulberry32): the start offsets are random but reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A private Secret Service: a D-Bus session with an unlocked gnome-keyring, until `stop()`. */
async function startSecretService(): Promise<{
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}> {
  const scratch = await mkdtemp(join(tmpdir(), "codex-conformance-keyring-"));
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    XDG_DATA_HOME: join(scratch, "data"),
    XDG_RUNTIME_DIR: join(scratch, "run"),
    HOME: scratch,
  };
  await mkdir(env.XDG_DATA_HOME, { recursive: true });
  await mkdir(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  const child = spawn(
    "dbus-run-session",
    [
      "--",
      "sh",
      "-c",
      'printf "\\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; echo "ADDR=$DBUS_SESSION_BUS_ADDRESS"; cat >/dev/null',
    ],
    { env, stdio: ["pipe", "pipe", "inherit"] },
  );
  const address = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /ADDR=(\S+)/.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`dbus-run-session exited (${code})`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    env: { DBUS_SESSION_BUS_ADDRESS: address, XDG_RUNTIME_DIR: env.XDG_RUNTIME_DIR },
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

describe("keyring items cross both ways (service `Codex Auth`, account cli|<hash of CODEX_HOME>)", () => {
  it("upstream's keyring login is loaded by our keyring store; ours is read by upstream, and our save removes a leftover auth.json", async (ctx) => {
    requireTool(ctx, "dbus-run-session", "Debian package dbus");
    requireTool(ctx, "gnome-keyring-daemon", "Debian package gnome-keyring");
    const service = await startSecretService();
    try {
      const home = await freshHome();
      await writeFile(join(home.home, "config.toml"), 'cli_auth_credentials_store = "keyring"\n');
      const login = await runCodex(codex, ["login", "--with-api-key"], {
        home,
        stdin: "sk-upstream-keyring-0123456789\n",
        env: service.env,
        timeoutMs: 60_000,
      });
      expect(login.code, login.stderr).toBe(0);
      await expect(readFile(join(home.home, "auth.json"), "utf8")).rejects.toThrow();
      const keyringEnv = { ...process.env, ...service.env };
      const ours = await AuthManager.create({
        codexHome: home.home,
        storeMode: "keyring",
        env: {},
        keyringEnv,
      });
      expect(ours.authCached()?.getToken().reveal()).toBe("sk-upstream-keyring-0123456789");

      // the other way: a leftover auth.json, then our keyring save (under both flocks)
      await writeFile(join(home.home, "auth.json"), '{"OPENAI_API_KEY":"sk-leftover"}', {
        mode: 0o600,
      });
      await ours.loginWithApiKey("sk-ours-keyring-0123456789");
      await expect(readFile(join(home.home, "auth.json"), "utf8")).rejects.toThrow();
      const status = await runCodex(codex, ["login", "status"], {
        home,
        env: service.env,
        timeoutMs: 60_000,
      });
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout + status.stderr).toContain("sk-ours-");
      expect(status.stdout + status.stderr).toContain("23456789".slice(-5));
    } finally {
      await service.stop();
    }
  });
});

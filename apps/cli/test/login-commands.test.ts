// End to end: the built `codex` (node dist/bin.js) in a temporary CODEX_HOME against
// @codex/fake-backend on 127.0.0.1, for every login command, with bad input.
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { type FakeBackend, startFakeBackend } from "@codex/fake-backend";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cliEnv, runCodex, startCodex, tempHome } from "./support/run-codex.js";

const API_KEY = "sk-test-abcdefghijk12345";

let backend: FakeBackend;
let home: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  backend = await startFakeBackend({ deviceAuth: { intervalSeconds: 0, pendingPolls: 1 } });
});
afterAll(async () => {
  await backend.close();
});
beforeEach(async () => {
  ({ home, cleanup } = await tempHome());
});
afterEach(async () => {
  await cleanup();
});

const env = (extra: Record<string, string> = {}) =>
  cliEnv(home, { CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${backend.issuerUrl}/oauth/revoke`, ...extra });

/** The browser: GET with manual redirects (the fake issuer redirects straight to the callback). */
async function playBrowser(url: string): Promise<number> {
  let current = url;
  for (let hop = 0; hop < 5; hop++) {
    const res = await fetch(current, { redirect: "manual" });
    await res.arrayBuffer();
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || location === null) return res.status;
    current = new URL(location, current).toString();
  }
  throw new Error("too many redirects");
}

/** True when nothing listens on 127.0.0.1:port any more (we can bind it). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("codex login status", () => {
  it("says Not logged in (exit 1) with no auth.json, even with an API key in the env", async () => {
    const r = await runCodex(["login", "status"], {
      env: env({ OPENAI_API_KEY: API_KEY, CODEX_API_KEY: API_KEY }),
    });
    expect(r).toMatchObject({ code: 1, stdout: "", stderr: "Not logged in\n" });
  });

  it("reports a corrupt auth.json with serde's text and leaves it untouched", async () => {
    const corrupt = '{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "sk-te';
    await writeFile(join(home, "auth.json"), corrupt, { mode: 0o600 });
    const before = await stat(join(home, "auth.json"));
    const r = await runCodex(["login", "status"], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "Error checking login status: failed to deserialize CLI auth from file: EOF while parsing a string at line 3 column 26\n",
    );
    expect(await readFile(join(home, "auth.json"), "utf8")).toBe(corrupt);
    expect((await stat(join(home, "auth.json"))).mtimeMs).toBe(before.mtimeMs);
  });

  it("reports an unreadable auth.json with Rust's io error text, as upstream (here: a directory)", async () => {
    await mkdir(join(home, "auth.json"));
    const r = await runCodex(["login", "status"], { env: env() });
    expect(r).toMatchObject({
      code: 1,
      stdout: "",
      stderr: "Error checking login status: Is a directory (os error 21)\n",
    });
  });

  it("reports a wrong-shaped auth.json as redacted data error (no value echoed)", async () => {
    await writeFile(
      join(home, "auth.json"),
      '{"auth_mode":"apikey","OPENAI_API_KEY":["sk-secret-value-123456"]}',
    );
    const r = await runCodex(["login", "status"], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "Error checking login status: failed to deserialize CLI auth from file: invalid credential JSON (Data at line 1 column 39)\n",
    );
    expect(r.stderr).not.toContain("secret");
  });
});

describe("codex login --with-api-key", () => {
  it("reads the key from stdin, saves it (0600), and status shows it masked", async () => {
    const r = await runCodex(["login", "--with-api-key"], { env: env(), input: `  ${API_KEY}\n` });
    expect(r).toMatchObject({
      code: 0,
      stdout: "",
      stderr:
        "Reading API key from stdin...\nAPI key saved. Authentication is checked when you send a request.\n",
    });
    const file = join(home, "auth.json");
    expect(await readFile(file, "utf8")).toBe(
      `{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "${API_KEY}"\n}`,
    );
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const status = await runCodex(["login", "status"], { env: env() });
    expect(status).toMatchObject({
      code: 0,
      stdout: "",
      stderr:
        "API key configured - sk-test-***12345\nAuthentication is checked when you send a request.\n",
    });
  });

  it("fails on empty stdin with upstream's text and writes nothing", async () => {
    const r = await runCodex(["login", "--with-api-key"], { env: env(), input: " \n" });
    expect(r).toMatchObject({
      code: 1,
      stderr: "Reading API key from stdin...\nNo API key provided via stdin.\n",
    });
    await expect(stat(join(home, "auth.json"))).rejects.toThrow();
  });

  it("refuses a key on argv (--api-key) without echoing it", async () => {
    const r = await runCodex(["login", "--api-key", API_KEY], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--api-key flag is no longer supported");
    expect(r.stderr).not.toContain(API_KEY);
    await expect(stat(join(home, "auth.json"))).rejects.toThrow();
  });
});

describe("codex login --device-auth", () => {
  it("signs in with a device code, then status says ChatGPT and logout revokes and removes", async () => {
    const r = await runCodex(
      ["login", "--device-auth", "--experimental_issuer", backend.issuerUrl],
      {
        env: env(),
      },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("Successfully logged in\n");
    expect(r.stdout).toContain(
      "Follow these steps to sign in with ChatGPT using device code authorization:",
    );
    expect(r.stdout).toContain(`${backend.issuerUrl}/codex/device`);
    const stored = JSON.parse(await readFile(join(home, "auth.json"), "utf8")) as {
      auth_mode: string;
      tokens: Record<string, unknown>;
    };
    expect(stored.auth_mode).toBe("chatgpt");
    const secrets = ["id_token", "access_token", "refresh_token"].map((k) =>
      String(stored.tokens[k]),
    );

    const status = await runCodex(["login", "status"], { env: env() });
    expect(status).toMatchObject({ code: 0, stderr: "Logged in using ChatGPT\n" });
    const revokedBefore = backend.state.revocations.length;
    const logout = await runCodex(["logout"], { env: env() });
    expect(logout).toMatchObject({ code: 0, stdout: "", stderr: "Successfully logged out\n" });
    for (const out of [r, status, logout]) {
      for (const secret of secrets) expect(`${out.stdout}${out.stderr}`).not.toContain(secret);
    }
    expect(backend.state.revocations.length).toBe(revokedBefore + 1);
    await expect(stat(join(home, "auth.json"))).rejects.toThrow();
    expect(await runCodex(["logout"], { env: env() })).toMatchObject({
      code: 0,
      stderr: "Not logged in\n",
    });
  });

  it("Ctrl-C while waiting for the code stops polling, writes nothing and ends by SIGINT", async () => {
    const slow = await startFakeBackend({
      deviceAuth: { intervalSeconds: 1, pendingPolls: 1_000 },
    });
    try {
      const run = startCodex(["login", "--device-auth", "--experimental_issuer", slow.issuerUrl], {
        env: env(),
      });
      await new Promise<void>((resolve) => {
        run.child.stdout?.on("data", (c: Buffer) => {
          if (c.toString("utf8").includes("one-time code")) resolve();
        });
      });
      run.child.kill("SIGINT");
      const r = await run.result;
      expect(r.signal).toBe("SIGINT");
      expect(r.stderr).not.toContain("Successfully logged in");
      await expect(stat(join(home, "auth.json"))).rejects.toThrow();
    } finally {
      await slow.close();
    }
  });

  it("says what went wrong (exit 1) when the issuer is unreachable", async () => {
    const r = await runCodex(
      ["login", "--device-auth", "--experimental_issuer", "http://127.0.0.1:9"],
      {
        env: env(),
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error logging in: .+\n$/);
    expect(r.stderr.split("\n").length).toBe(2);
    await expect(stat(join(home, "auth.json"))).rejects.toThrow();
  });
});

describe("codex login (browser)", () => {
  it("prints the URL as upstream, completes when the browser comes back, and frees the port", async () => {
    const run = startCodex(
      ["login", "--experimental_issuer", backend.issuerUrl, "--experimental_port", "0"],
      {
        env: env(),
      },
    );
    const [, port, url] = await run.waitForStderr(
      /^Starting local login server on http:\/\/localhost:(\d+)\.\nIf your browser did not open, navigate to this URL to authenticate:\n\n(\S+)\n\nOn a remote or headless machine\? Use `codex login --device-auth` instead\.\n/,
    );
    expect(url).toContain(`${backend.issuerUrl}/oauth/authorize?response_type=code&`);
    expect(await playBrowser(url as string)).toBe(200);
    const r = await run.result;
    expect(r.code).toBe(0);
    expect(r.stderr.endsWith("Successfully logged in\n")).toBe(true);
    expect(await portIsFree(Number(port))).toBe(true);
    expect(await runCodex(["login", "status"], { env: env() })).toMatchObject({ code: 0 });
  });

  it("Ctrl-C (SIGINT) cancels cleanly: no auth.json, the port is freed, the process ends by SIGINT", async () => {
    const run = startCodex(
      ["login", "--experimental_issuer", backend.issuerUrl, "--experimental_port", "0"],
      {
        env: env(),
      },
    );
    const [, port] = await run.waitForStderr(/localhost:(\d+)\./);
    expect(await portIsFree(Number(port))).toBe(false);
    run.child.kill("SIGINT");
    const r = await run.result;
    expect(r.signal).toBe("SIGINT");
    expect(r.stderr).not.toMatch(/Error|at .*\.js/);
    expect(await portIsFree(Number(port))).toBe(true);
    await expect(stat(join(home, "auth.json"))).rejects.toThrow();
  });

  it("is refused when config forces API-key login", async () => {
    await writeFile(join(home, "config.toml"), 'forced_login_method = "api"\n');
    const r = await runCodex(["login"], { env: env() });
    expect(r).toMatchObject({
      code: 1,
      stderr: "ChatGPT login is disabled. Use API key login instead.\n",
    });
  });
});

describe("codex logout", () => {
  it("still logs out when the revoke endpoint is unreachable (best effort, as upstream)", async () => {
    const t = backend.issueTokens();
    await writeFile(
      join(home, "auth.json"),
      JSON.stringify({
        auth_mode: "chatgpt",
        OPENAI_API_KEY: null,
        tokens: {
          id_token: t.idToken,
          access_token: t.accessToken,
          refresh_token: t.refreshToken,
          account_id: null,
        },
      }),
    );
    const r = await runCodex(["logout"], {
      env: env({ CODEX_REVOKE_TOKEN_URL_OVERRIDE: "http://127.0.0.1:9/oauth/revoke" }),
    });
    expect(r).toMatchObject({ code: 0, stdout: "", stderr: "Successfully logged out\n" });
    expect(r.stderr).not.toContain(t.refreshToken);
    await expect(stat(join(home, "auth.json"))).rejects.toThrow();
  });

  it("removes a corrupt auth.json (as upstream) and says so", async () => {
    await writeFile(join(home, "auth.json"), "{not json");
    expect(await runCodex(["logout"], { env: env() })).toMatchObject({
      code: 0,
      stderr: "Successfully logged out\n",
    });
    await expect(stat(join(home, "auth.json"))).rejects.toThrow();
  });
});

describe("configuration", () => {
  it("a CODEX_HOME that does not exist is upstream's one-line error, for every login command", async () => {
    const missing = join(home, "missing");
    for (const args of [["login", "status"], ["logout"], ["login", "--with-api-key"]]) {
      const r = await runCodex(args, { env: env({ CODEX_HOME: missing }), input: "sk-x\n" });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `Error loading configuration: CODEX_HOME points to "${missing}", but that path does not exist\\n$`,
        ),
      );
    }
    await expect(stat(missing)).rejects.toThrow();
  });

  it("login status reads the configured store (ephemeral: nothing stored, Not logged in)", async () => {
    await writeFile(join(home, "auth.json"), '{"OPENAI_API_KEY":"sk-test-abcdefghijk12345"}');
    const r = await runCodex(["-c", "cli_auth_credentials_store=ephemeral", "login", "status"], {
      env: env(),
    });
    expect(r).toMatchObject({ code: 1, stderr: "Not logged in\n" });
  });

  it("warns about an unknown -c key and still runs", async () => {
    const r = await runCodex(["-c", "totally_unknown_key=1", "login", "status"], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "warning: unknown config key totally_unknown_key (-c) is ignored\nNot logged in\n",
    );
  });

  it("accepts -c after the subcommand too", async () => {
    const r = await runCodex(["login", "status", "-c", "also_unknown=1"], { env: env() });
    expect(r.stderr).toContain("also_unknown");
  });

  it("fails with one line on a bad TOML value in config.toml", async () => {
    await writeFile(join(home, "config.toml"), "model = \n");
    const r = await runCodex(["login", "status"], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error loading configuration: .*config\.toml:1:\d+: .+\n$/);
  });

  it("fails with one line on a malformed -c override", async () => {
    const r = await runCodex(["-c", "novalue", "logout"], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error parsing -c overrides: .+\n$/);
  });
});

describe("the program", () => {
  it("prints its version in upstream's format", async () => {
    const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(await runCodex(["--version"], { env: env() })).toMatchObject({
      code: 0,
      stdout: `codex-cli ${pkg.version}\n`,
    });
  });

  it("has --help for each command", async () => {
    for (const args of [
      ["--help"],
      ["login", "--help"],
      ["login", "status", "--help"],
      ["logout", "--help"],
    ]) {
      const r = await runCodex(args, { env: env() });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: codex/);
    }
  });

  it("ends quietly when its reader goes away (EPIPE)", async () => {
    const run = startCodex(["login", "--help"], { env: env() });
    run.child.stdout?.destroy();
    const r = await run.result;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("rejects an unknown command with a usage error (exit 2)", async () => {
    const r = await runCodex(["no-such-command"], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command");
  });
});

// Our `codex` (apps/cli, built: node apps/cli/dist/bin.js) against the real codex 0.169.0 on
// copies of the same home: `login status`, `logout` and `login --with-api-key` must print the
// same text on the same stream with the same exit code, and leave the same auth.json behind.
// The one line upstream adds under a temporary CODEX_HOME ("WARNING: proceeding, even though we
// could not create PATH aliases: …") is left out of the comparison.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FakeBackend, startFakeBackend } from "@codex/fake-backend";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type CodexRun,
  createTempCodexHome,
  killLiveCodexRuns,
  runCodex,
  type TempCodexHome,
} from "../src/codex-harness.js";

const upstream = inject("codexBinary");
const OUR_BIN = fileURLToPath(new URL("../../apps/cli/dist/bin.js", import.meta.url));
const PATH_ALIAS_WARNING =
  /^WARNING: proceeding, even though we could not create PATH aliases: .*\n/gm;

let backend: FakeBackend;
beforeAll(async () => {
  if (!existsSync(OUR_BIN))
    throw new Error(`${OUR_BIN} is missing: pnpm --filter @codex/cli build`);
  backend = await startFakeBackend();
});
afterAll(async () => {
  killLiveCodexRuns();
  await backend.close();
});

interface Side {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** auth.json after the command, or null when there is none. */
  readonly authJson: string | null;
}

async function readAuth(home: TempCodexHome): Promise<string | null> {
  const file = join(home.home, "auth.json");
  return existsSync(file) ? readFile(file, "utf8") : null;
}

/** The run's outcome; the temporary home's path is written `<home>` so both sides compare. */
function side(run: CodexRun, authJson: string | null, home: TempCodexHome): Side {
  const normal = (text: string) => text.replaceAll(home.home, "<home>");
  return {
    code: run.code,
    stdout: normal(run.stdout),
    stderr: normal(run.stderr.replace(PATH_ALIAS_WARNING, "")),
    authJson,
  };
}

/** Runs `args` with both binaries, each on its own copy of `auth` (undefined: no auth.json). */
async function both(
  args: readonly string[],
  auth: string | undefined,
  stdin?: string,
  options: {
    readonly missingCodexHome?: boolean;
    readonly holdCommitLock?: boolean;
    readonly configToml?: string;
  } = {},
): Promise<{ upstream: Side; ours: Side }> {
  const result: Partial<Record<"upstream" | "ours", Side>> = {};
  for (const who of ["upstream", "ours"] as const) {
    const home = await createTempCodexHome();
    const env: Record<string, string> = {
      CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${backend.issuerUrl}/oauth/revoke`,
      ...(options.missingCodexHome === true ? { CODEX_HOME: join(home.home, "missing") } : {}),
    };
    let holder: ReturnType<typeof spawn> | undefined;
    try {
      if (auth !== undefined) await writeFile(join(home.home, "auth.json"), auth, { mode: 0o600 });
      if (options.configToml !== undefined)
        await writeFile(join(home.home, "config.toml"), options.configToml);
      if (options.holdCommitLock === true)
        holder = await holdLock(join(home.home, "auth.json.lock"));
      const run =
        who === "upstream"
          ? await runCodex(upstream, args, { home, env, ...(stdin === undefined ? {} : { stdin }) })
          : await runCodex(process.execPath, [OUR_BIN, ...args], {
              home,
              env,
              ...(stdin === undefined ? {} : { stdin }),
            });
      result[who] = side(run, await readAuth(home), home);
    } finally {
      holder?.kill("SIGKILL");
      await home.cleanup();
    }
  }
  return result as { upstream: Side; ours: Side };
}

/** util-linux flock(1) holding `path` (LOCK_EX) for 20 s, as another codex would; resolves once held. */
async function holdLock(path: string): Promise<ReturnType<typeof spawn>> {
  const holder = spawn("flock", ["-x", path, "sleep", "20"], { stdio: "ignore" });
  const deadline = Date.now() + 10_000;
  while (spawnSync("flock", ["-n", "-x", path, "true"]).status !== 1) {
    if (Date.now() > deadline) throw new Error(`flock never took ${path}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return holder;
}

const hasFlock = spawnSync("sh", ["-c", "command -v flock"]).status === 0;
if (!hasFlock) {
  const line =
    "flock is not on PATH (Debian package util-linux; scripts/install-test-deps.sh installs it)";
  if (process.env.CODEX_REQUIRE_SYSTEM_TESTS === "1") throw new Error(line);
  process.stderr.write(`[conformance] commit-lock cases skipped: ${line}\n`);
}

function chatgptAuthJson(): string {
  const t = backend.issueTokens();
  return JSON.stringify(
    {
      auth_mode: "chatgpt",
      OPENAI_API_KEY: null,
      tokens: {
        id_token: t.idToken,
        access_token: t.accessToken,
        refresh_token: t.refreshToken,
        account_id: backend.account.chatgptAccountId,
      },
      last_refresh: "2026-04-20T08:15:02.123456789Z",
    },
    null,
    2,
  );
}

const STATES: readonly (readonly [string, () => string | undefined])[] = [
  ["no auth.json", () => undefined],
  [
    "an API key",
    () => '{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "sk-test-abcdefghijk12345"\n}',
  ],
  ["a short API key", () => '{"OPENAI_API_KEY":"sk-short"}'],
  ["an API-key mode without a key", () => '{"auth_mode":"apikey","OPENAI_API_KEY":null}'],
  ["a ChatGPT login", chatgptAuthJson],
  ["a truncated (corrupt) file", () => '{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "sk-te'],
  [
    "a wrong-shaped file",
    () => '{\n  "auth_mode": "chatgpt",\n  "tokens": {"id_token": "x", "access_token": "a"}\n}',
  ],
  ["an empty file", () => ""],
];

describe("codex login status: same text, stream and exit code as upstream 0.169", () => {
  it.each(STATES)("with %s", async (_name, auth) => {
    const r = await both(["login", "status"], auth());
    expect(r.ours).toEqual(r.upstream);
  });
});

describe("codex logout: same text, stream, exit code and resulting auth.json as upstream 0.169", () => {
  it.each(STATES)("with %s", async (_name, auth) => {
    const r = await both(["logout"], auth());
    expect(r.ours).toEqual(r.upstream);
  });

  it("both revoke the stored refresh token at the revoke URL before removing it", async () => {
    const auth = chatgptAuthJson();
    const before = backend.state.revocations.length;
    const r = await both(["logout"], auth);
    expect(r.ours).toEqual(r.upstream);
    const revoked = backend.state.revocations.slice(before);
    expect(revoked.map((x) => [x.matched, x.tokenTypeHint, x.clientId])).toEqual([
      ["refresh_token", "refresh_token", "app_EMoamEEZ73f0CkXaXp7hrann"],
      ["refresh_token", "refresh_token", "app_EMoamEEZ73f0CkXaXp7hrann"],
    ]);
  });
});

describe("codex login --with-api-key: same text, exit code and auth.json as upstream 0.169", () => {
  it.each([
    ["a key with surrounding whitespace", "  sk-test-abcdefghijk12345 \n"],
    ["empty stdin", ""],
    ["only whitespace", " \n\t\n"],
  ])("%s", async (_name, stdin) => {
    const r = await both(["login", "--with-api-key"], undefined, stdin);
    expect(r.ours).toEqual(r.upstream);
  });

  it("over an existing ChatGPT login", async () => {
    const r = await both(
      ["login", "--with-api-key"],
      chatgptAuthJson(),
      "sk-test-abcdefghijk12345\n",
    );
    expect(r.ours).toEqual(r.upstream);
  });
});

describe("a CODEX_HOME that does not exist: same error as upstream 0.169", () => {
  it.each([
    [["login", "status"], undefined],
    [["logout"], undefined],
    [["login", "--with-api-key"], "sk-test-abcdefghijk12345\n"],
  ] as const)("%j", async (args, stdin) => {
    const r = await both(args, undefined, stdin, { missingCodexHome: true });
    expect(r.ours).toEqual(r.upstream);
  });
});

describe.skipIf(!hasFlock)(
  "another process holds auth.json.lock past 5 s: same failure as upstream 0.169",
  () => {
    it("login --with-api-key", async () => {
      const r = await both(["login", "--with-api-key"], undefined, "sk-test-abcdefghijk12345\n", {
        holdCommitLock: true,
      });
      expect(r.upstream.stderr).toContain("credential commit lock timed out");
      expect(r.ours).toEqual(r.upstream);
    });

    it("logout", async () => {
      const r = await both(["logout"], '{"OPENAI_API_KEY":"sk-test-abcdefghijk12345"}', undefined, {
        holdCommitLock: true,
      });
      expect(r.ours).toEqual(r.upstream);
    });
  },
);

describe("forced_login_method in config.toml: same refusal as upstream 0.169", () => {
  it("API-key login when ChatGPT is forced", async () => {
    const r = await both(["login", "--with-api-key"], undefined, "sk-test-abcdefghijk12345\n", {
      configToml: 'forced_login_method = "chatgpt"\n',
    });
    expect(r.ours).toEqual(r.upstream);
  });

  it("device login when API keys are forced", async () => {
    const r = await both(["login", "--device-auth"], undefined, undefined, {
      configToml: 'forced_login_method = "api"\n',
    });
    expect(r.ours).toEqual(r.upstream);
  });
});

describe("codex login --device-auth against the fake issuer: same texts, and each reads the other's login", () => {
  /** The device-login stdout with what legitimately differs (version, one-time code) written out. */
  const normal = (stdout: string) => {
    const esc = String.fromCharCode(27);
    const version = stdout.indexOf(`Welcome to Codex [v${esc}[90m`);
    const close = stdout.indexOf(`${esc}[0m]`, version);
    const withVersion =
      version < 0 || close < 0
        ? stdout
        : `${stdout.slice(0, version)}Welcome to Codex [v<version>]${stdout.slice(close + 5)}`;
    return withVersion.replace(/[A-Z0-9]{4}-[A-Z0-9]{4,5}/, "<code>");
  };

  it("prints the same steps and result, and upstream's login status / logout accept our login (and back)", async () => {
    const args = ["login", "--device-auth", "--experimental_issuer", backend.issuerUrl];
    const env = { CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${backend.issuerUrl}/oauth/revoke` };
    const homes = [await createTempCodexHome(), await createTempCodexHome()] as const;
    try {
      const ours = await runCodex(process.execPath, [OUR_BIN, ...args], { home: homes[0], env });
      const theirs = await runCodex(upstream, args, { home: homes[1], env });
      expect(side({ ...ours, stdout: normal(ours.stdout) }, null, homes[0])).toEqual(
        side({ ...theirs, stdout: normal(theirs.stdout) }, null, homes[1]),
      );
      expect(ours.code).toBe(0);
      // each binary on the other's home
      for (const [binary, prefix, home] of [
        [upstream, [], homes[0]],
        [process.execPath, [OUR_BIN], homes[1]],
      ] as const) {
        const status = await runCodex(binary, [...prefix, "login", "status"], { home, env });
        expect(status.stderr.replace(PATH_ALIAS_WARNING, "")).toBe("Logged in using ChatGPT\n");
        const logout = await runCodex(binary, [...prefix, "logout"], { home, env });
        expect(logout.stderr.replace(PATH_ALIAS_WARNING, "")).toBe("Successfully logged out\n");
        expect(await readAuth(home)).toBeNull();
      }
    } finally {
      for (const home of homes) await home.cleanup();
    }
  });
});

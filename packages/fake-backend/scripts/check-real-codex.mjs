#!/usr/bin/env node
// Runs one real `codex exec` turn against the fake backend in each mode (API key and ChatGPT,
// over HTTP and over WebSocket with its prewarm) and fails when the client logs an ERROR line or
// calls a path the fake does not serve. It re-checks the claim of the README: the fake backend
// answers the real upstream client (see "Upstream version").
//
//   pnpm --filter @codex/fake-backend build
//   node scripts/check-real-codex.mjs [path/to/codex]
//
// The binary defaults to $CODEX_BIN, else the copy the conformance suite installs under
// ${XDG_CACHE_HOME:-~/.cache}/codex-conformance/<version>/. Every run gets a fresh temporary HOME
// and CODEX_HOME; the client talks to 127.0.0.1 only (plugins are off in API-key mode, where the
// client would otherwise try github.com for its curated plugin list).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { scripts, startFakeBackend } from "../dist/index.js";

const VERSION = "0.169.0";
const MODEL = "gpt-5.5";

function findCodex() {
  if (process.argv[2]) return process.argv[2];
  if (process.env.CODEX_BIN) return process.env.CODEX_BIN;
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
  const platform = join(cache, "codex-conformance", VERSION, "node_modules", "@openai");
  const candidates = [
    join(platform, "codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex"),
    join(platform, "codex-linux-arm64/vendor/aarch64-unknown-linux-musl/bin/codex"),
    join(platform, "codex-darwin-arm64/vendor/aarch64-apple-darwin/bin/codex"),
    join(platform, "codex-darwin-x64/vendor/x86_64-apple-darwin/bin/codex"),
  ];
  return candidates.find((path) => existsSync(path));
}

/** The config.toml of one mode: a custom provider pointed at the fake backend. */
function configFor(backend, mode, websocket) {
  const common = `model = "${MODEL}"\nmodel_provider = "fake"\n`;
  if (mode === "apikey") {
    return (
      common +
      `\n[model_providers.fake]\nname = "fake"\nbase_url = "${backend.openaiBaseUrl}"\n` +
      `env_key = "FAKE_OPENAI_API_KEY"\nwire_api = "responses"\nsupports_websockets = ${websocket}\n` +
      "\n[features]\nplugins = false\n"
    );
  }
  return (
    common +
    `chatgpt_base_url = "${backend.chatgptBaseUrl}/"\n` +
    `\n[model_providers.fake]\nname = "fake"\nbase_url = "${backend.chatgptBaseUrl}/codex"\n` +
    `requires_openai_auth = true\nwire_api = "responses"\nsupports_websockets = ${websocket}\n`
  );
}

async function runOnce(codex, mode, websocket) {
  const backend = await startFakeBackend();
  // A cut stream first: the client must retry without logging an error, then get the echo.
  backend.enqueue(scripts.disconnect("a partial answer"));
  const home = mkdtempSync(join(tmpdir(), "fake-backend-codex-"));
  const codexHome = join(home, ".codex");
  mkdirSync(codexHome);
  writeFileSync(join(codexHome, "config.toml"), configFor(backend, mode, websocket));
  const env = { PATH: process.env.PATH, HOME: home, CODEX_HOME: codexHome, RUST_LOG: "info" };
  if (mode === "apikey") env.FAKE_OPENAI_API_KEY = "sk-fake-backend-check";
  else {
    const tokens = backend.issueTokens();
    writeFileSync(
      join(codexHome, "auth.json"),
      JSON.stringify({
        auth_mode: "chatgpt",
        OPENAI_API_KEY: null,
        tokens: {
          id_token: tokens.idToken,
          access_token: tokens.accessToken,
          refresh_token: tokens.refreshToken,
          account_id: backend.account.chatgptAccountId,
        },
        last_refresh: new Date().toISOString(),
      }),
    );
  }
  const child = spawn(codex, ["exec", "--skip-git-repo-check", "-s", "read-only", "say hi"], {
    env,
    cwd: home,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on("close", resolve));
  const errors = stderr.split("\n").filter((line) => / ERROR /.test(line));
  const unknown = backend.state.requestsTo("not_found").map((r) => `${r.method} ${r.path}`);
  const prewarms = backend.state.requests
    .flatMap((r) => r.websocketMessages)
    .filter((m) => m?.generate === false).length;
  await backend.close();
  rmSync(home, { recursive: true, force: true });
  return { code, stdout, errors, unknown, prewarms };
}

const codex = findCodex();
if (codex === undefined) {
  console.error(`no codex ${VERSION} binary: pass its path, set CODEX_BIN, or install the suite`);
  process.exit(2);
}
let failed = false;
for (const [mode, websocket] of [
  ["apikey", false],
  ["apikey", true],
  ["chatgpt", false],
  ["chatgpt", true],
]) {
  const result = await runOnce(codex, mode, websocket);
  const ok =
    result.code === 0 &&
    result.errors.length === 0 &&
    result.unknown.length === 0 &&
    result.stdout.includes("say hi");
  failed ||= !ok;
  console.log(
    `${ok ? "ok  " : "FAIL"} ${mode} ${websocket ? "websocket" : "http"}: exit ${result.code}, ` +
      `${result.errors.length} ERROR lines, ${result.unknown.length} unknown paths, ` +
      `${result.prewarms} prewarms`,
  );
  for (const line of [...result.errors, ...result.unknown]) console.log(`     ${line}`);
}
process.exit(failed ? 1 : 0);

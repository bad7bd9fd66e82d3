// Runs the built `codex` binary (apps/cli/dist/bin.js) with plain node, as a user would, in the
// demo's temporary home: CODEX_HOME and HOME both point into it, so nothing of the real user's
// ~/.codex is read or written.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CODEX_BIN = fileURLToPath(new URL("../../apps/cli/dist/bin.js", import.meta.url));

/** The environment of every codex child: the demo home, no inherited credentials. */
export function codexEnv(home, extra = {}) {
  const env = { PATH: process.env.PATH ?? "", CODEX_HOME: home.codexHome, HOME: home.home };
  for (const name of ["LANG", "TMPDIR", "SYSTEMROOT"]) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return { ...env, BROWSER: "none", ...home.env, ...extra };
}

/** Starts `codex <args>`; the caller reads its streams. */
export function spawnCodex(home, args, extraEnv = {}) {
  return spawn(process.execPath, [CODEX_BIN, ...args], {
    cwd: home.workdir,
    env: codexEnv(home, extraEnv),
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Runs `codex <args>` to the end: `{ code, stdout, stderr }`. Gives up after `timeoutMs`. */
export function runCodex(home, args, { input = "", env = {}, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawnCodex(home, args, env);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`codex ${args[0]} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

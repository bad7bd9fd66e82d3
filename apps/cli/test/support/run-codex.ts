import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built `codex` (run with plain node, as a user would through the bin link). */
export const CODEX_BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

export interface CodexResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temporary CODEX_HOME (and HOME) removed by `cleanup`. */
export async function tempHome(): Promise<{ home: string; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), "codex-cli-e2e-"));
  return { home, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/** The environment of every run: only PATH, the temporary home, proxies at a closed port. */
export function cliEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const closed = "http://127.0.0.1:9";
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    CODEX_HOME: home,
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    NO_PROXY: "127.0.0.1,localhost",
    BROWSER: "none",
    ...extra,
  };
}

export interface StartedCodex {
  readonly child: ChildProcess;
  /** Resolves when stderr (so far) matches `pattern`. */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  readonly result: Promise<CodexResult>;
}

/** Starts `codex args…`; stdin gets `input` (then closes) unless `keepStdinOpen`. */
export function startCodex(
  args: readonly string[],
  options: { env: Record<string, string>; input?: string; keepStdinOpen?: boolean },
): StartedCodex {
  const child = spawn(process.execPath, [CODEX_BIN, ...args], {
    env: options.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout?.setEncoding("utf8").on("data", (c: string) => {
    stdout += c;
  });
  child.stderr?.setEncoding("utf8").on("data", (c: string) => {
    stderr += c;
    for (const w of [...waiters]) {
      const m = stderr.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  child.stdin?.on("error", () => {});
  if (options.keepStdinOpen !== true) child.stdin?.end(options.input ?? "");
  const result = new Promise<CodexResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    result,
    waitForStderr: (pattern) =>
      new Promise((resolve, reject) => {
        const m = stderr.match(pattern);
        if (m) return resolve(m);
        waiters.push({ pattern, resolve });
        result.then(
          () => reject(new Error(`codex exited before stderr matched ${pattern}:\n${stderr}`)),
          reject,
        );
      }),
  };
}

/** Runs `codex args…` to the end. */
export function runCodex(
  args: readonly string[],
  options: { env: Record<string, string>; input?: string },
): Promise<CodexResult> {
  return startCodex(args, options).result;
}

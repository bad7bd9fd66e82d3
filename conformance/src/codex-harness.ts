import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throwaway `HOME` that is also the `CODEX_HOME`, never the real ones. */
export interface TempCodexHome {
  /** `HOME` and `CODEX_HOME`. */
  readonly home: string;
  /** A working directory inside it, used as the codex process's cwd. */
  readonly workdir: string;
  /** Removes the whole folder. */
  cleanup(): Promise<void>;
}

/** Creates a fresh temporary home (mode 0700) with an empty `work/` folder. */
export async function createTempCodexHome(): Promise<TempCodexHome> {
  const home = await mkdtemp(join(tmpdir(), "codex-conformance-"));
  const workdir = join(home, "work");
  await mkdir(workdir);
  return {
    home,
    workdir,
    cleanup: () => rm(home, { recursive: true, force: true, maxRetries: 3 }),
  };
}

/** What one run of the binary did. */
export interface CodexRun {
  /** Exit code; null when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the run hit its timeout and was killed. */
  readonly timedOut: boolean;
}

/** Options of {@link runCodex}. */
export interface RunCodexOptions {
  readonly home: TempCodexHome;
  /** Written to stdin, then stdin is closed (default: closed at once). */
  readonly stdin?: string;
  /** Extra environment (added to the minimal one). */
  readonly env?: Readonly<Record<string, string>>;
  /** Killed (SIGKILL) after this long (default 120 s). */
  readonly timeoutMs?: number;
}

const live = new Set<ChildProcess>();

/**
 * The environment every run gets: `HOME` and `CODEX_HOME` are the temporary home, proxies point
 * at a closed loopback port so nothing can leave the machine, and nothing else of the caller's
 * environment is passed on except `PATH` and the locale.
 */
export function codexEnv(
  home: TempCodexHome,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const closed = "http://127.0.0.1:9";
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
    HOME: home.home,
    CODEX_HOME: home.home,
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    ALL_PROXY: closed,
    http_proxy: closed,
    https_proxy: closed,
    all_proxy: closed,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
    NO_COLOR: "1",
    ...extra,
  };
}

/** Runs the upstream binary once, in `home.workdir`, and collects its output. */
export function runCodex(
  binary: string,
  args: readonly string[],
  options: RunCodexOptions,
): Promise<CodexRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd: options.home.workdir,
      env: codexEnv(options.home, options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    live.add(child);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.stdin ?? "");
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 120_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      live.delete(child);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Kills (SIGKILL) every run still going; for `afterAll`. */
export function killLiveCodexRuns(): void {
  for (const child of live) child.kill("SIGKILL");
}

/** Options of {@link writeFakeProviderConfig}. */
export interface FakeProviderConfig {
  /** The Responses base URL (`…/v1` for API keys, `…/backend-api/codex` for ChatGPT). */
  readonly baseUrl: string;
  /** `chatgpt_base_url` (the fake backend's `/backend-api`), so background calls stay local. */
  readonly chatgptBaseUrl: string;
  /** `supports_websockets` (default false: HTTP + SSE). */
  readonly websockets?: boolean;
  /** Model slug (default `gpt-5.4`). */
  readonly model?: string;
  /** `request_max_retries` (default 0). */
  readonly requestMaxRetries?: number;
  /** `stream_max_retries` (default 0). */
  readonly streamMaxRetries?: number;
}

/**
 * Writes `config.toml` pointing codex at the fake backend through a custom provider `fake`
 * that authenticates from auth.json (`requires_openai_auth = true`) and, unless told otherwise,
 * never retries, so a scripted failure is seen once.
 */
export async function writeFakeProviderConfig(
  home: TempCodexHome,
  config: FakeProviderConfig,
): Promise<string> {
  const text = [
    `model = ${JSON.stringify(config.model ?? "gpt-5.4")}`,
    `model_provider = "fake"`,
    `chatgpt_base_url = ${JSON.stringify(config.chatgptBaseUrl)}`,
    "",
    "[model_providers.fake]",
    `name = "fake"`,
    `base_url = ${JSON.stringify(config.baseUrl)}`,
    `wire_api = "responses"`,
    "requires_openai_auth = true",
    `supports_websockets = ${config.websockets === true}`,
    `request_max_retries = ${config.requestMaxRetries ?? 0}`,
    `stream_max_retries = ${config.streamMaxRetries ?? 0}`,
    "",
  ].join("\n");
  await writeFile(join(home.home, "config.toml"), text, { mode: 0o600 });
  return text;
}

/** Every `rollout-*.jsonl` under `<home>/sessions`, sorted. */
export async function sessionFiles(home: TempCodexHome): Promise<string[]> {
  const root = join(home.home, "sessions");
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /(^|\/)rollout-.*\.jsonl$/.test(entry))
    .map((entry) => join(root, entry))
    .sort();
}

/** Lines of stderr that upstream logged at ERROR level. */
export function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => /\bERROR\b/.test(line));
}

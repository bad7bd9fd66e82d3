import {
  type FakeBackend,
  type RequestRecord,
  type ResponseScript,
  startFakeBackend,
} from "@codex/fake-backend";
import { Secret } from "@codex/wire";
import {
  type CodexRun,
  createTempCodexHome,
  runCodex,
  sessionFiles,
  type TempCodexHome,
  writeFakeProviderConfig,
} from "./codex-harness.js";
import { chatgptAuth, ourFileStore } from "./our-login.js";

/** How the real client reaches the fake backend. */
export type TurnMode = "api-key-http" | "api-key-websocket" | "chatgpt-http" | "chatgpt-websocket";

/** ChatGPT tokens (auth.json) and the ChatGPT base URL, else an API key and the API base. */
export function isChatgptMode(mode: TurnMode): boolean {
  return mode === "chatgpt-http" || mode === "chatgpt-websocket";
}

/** The API key every API-key turn uses (the fake backend accepts any `sk-` key). */
export const CONFORMANCE_API_KEY = "sk-conformance-key";

/** Options of {@link runExecTurn}. */
export interface ExecTurnOptions {
  readonly mode: TurnMode;
  /** The prompt (default `say hi`). */
  readonly prompt?: string;
  /** Scripts queued on the backend before the run (default: none, the backend echoes). */
  readonly scripts?: readonly ResponseScript[];
  /** Reuse a home (and its backend) instead of creating them. */
  readonly reuse?: { readonly home: TempCodexHome; readonly backend: FakeBackend };
  /** `request_max_retries` / `stream_max_retries` of the provider (default 0 / 0). */
  readonly retries?: { readonly request?: number; readonly stream?: number };
  /** Extra environment for the run. */
  readonly env?: Readonly<Record<string, string>>;
  /** Arguments after `exec` (default `--skip-git-repo-check <prompt>`). */
  readonly execArgs?: readonly string[];
}

/** One `codex exec` against the fake backend, with everything it left behind. */
export interface ExecTurn {
  readonly home: TempCodexHome;
  readonly backend: FakeBackend;
  readonly run: CodexRun;
  /** Requests the backend saw during this run. */
  readonly requests: readonly RequestRecord[];
  /** Rollout files under `<home>/sessions` after the run. */
  readonly sessions: readonly string[];
  /** The `session id:` codex printed, if any. */
  readonly sessionId: string | undefined;
  /** The exact `config.toml` used. */
  readonly configToml: string;
}

async function writeAuth(home: TempCodexHome, backend: FakeBackend, mode: TurnMode) {
  const storage = await ourFileStore(home);
  if (!isChatgptMode(mode)) {
    await storage.save({ authMode: "apikey", openaiApiKey: new Secret(CONFORMANCE_API_KEY) });
    return;
  }
  await storage.save(chatgptAuth({ ...backend.issueTokens(), account: backend.account }));
}

/**
 * Starts a fake backend (unless reused), writes auth.json with our `@codex/login` file store and a
 * `config.toml` pointing the `fake` provider at the backend, and runs `codex exec` once.
 * The caller closes the backend and cleans the home.
 */
export async function runExecTurn(codex: string, options: ExecTurnOptions): Promise<ExecTurn> {
  const backend = options.reuse?.backend ?? (await startFakeBackend());
  const home = options.reuse?.home ?? (await createTempCodexHome());
  try {
    if (options.reuse === undefined) await writeAuth(home, backend, options.mode);
    // (A reused home keeps the auth.json its caller wrote.)
    const configToml = await writeFakeProviderConfig(home, {
      baseUrl: isChatgptMode(options.mode)
        ? `${backend.chatgptBaseUrl}/codex`
        : backend.openaiBaseUrl,
      chatgptBaseUrl: backend.chatgptBaseUrl,
      websockets: options.mode === "api-key-websocket" || options.mode === "chatgpt-websocket",
      ...(options.retries?.request === undefined
        ? {}
        : { requestMaxRetries: options.retries.request }),
      ...(options.retries?.stream === undefined
        ? {}
        : { streamMaxRetries: options.retries.stream }),
    });
    if (options.scripts !== undefined) backend.enqueue(...options.scripts);
    const before = backend.state.requests.length;
    const prompt = options.prompt ?? "say hi";
    const run = await runCodex(
      codex,
      ["exec", ...(options.execArgs ?? ["--skip-git-repo-check", prompt])],
      options.env === undefined ? { home } : { home, env: options.env },
    );
    const sessionId = /^session id: (\S+)$/m.exec(run.stderr)?.[1];
    return {
      home,
      backend,
      run,
      requests: backend.state.requests.slice(before),
      sessions: await sessionFiles(home),
      sessionId,
      configToml,
    };
  } catch (error) {
    if (options.reuse === undefined) {
      await backend.close();
      await home.cleanup();
    }
    throw error;
  }
}

/** Closes the backend and removes the home of a turn. */
export async function disposeTurn(turn: ExecTurn | undefined): Promise<void> {
  if (turn === undefined) return;
  await turn.backend.close();
  await turn.home.cleanup();
}

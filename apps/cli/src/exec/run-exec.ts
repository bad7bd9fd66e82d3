import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { ThreadEngine, ThreadStartResult } from "@codex/app-server";
import type { CodexConfig } from "@codex/config";
import type { AuthManager } from "@codex/login";
import type { JsonObject } from "@codex/wire";
import { createAuthManagerFromConfig } from "../auth-manager-from-config.js";
import type { CliContext } from "../cli-context.js";
import { CliError } from "../cli-error.js";
import { loadCodexConfig } from "../config.js";
import { readAllText } from "../read-stdin.js";
import { formatExecEvent } from "./exec-events.js";
import { formatSummary, HumanOutput } from "./human-output.js";
import { type ExecUserInput, imageInput } from "./image-input.js";
import { JsonlEventMapper, type TurnOutcome } from "./jsonl-event-mapper.js";
import { writeLastMessageFile } from "./last-message-file.js";
import { readOutputSchema } from "./output-schema-file.js";
import { resolvePrompt } from "./prompt-input.js";
import { findGitRoot, UNTRUSTED_DIRECTORY_MESSAGE } from "./trusted-directory.js";
import { readTurnNotification, type TurnEvent } from "./turn-notification.js";

/** The upstream release whose wire and texts exec reproduces (user agent, header, rollouts). */
export const EXEC_UPSTREAM_VERSION = "0.169.0";

/** Default `originator` of exec's requests; `CODEX_INTERNAL_ORIGINATOR_OVERRIDE` replaces it. */
export const EXEC_ORIGINATOR = "codex_exec";

/** `codex exec resume`: which thread to continue. */
export interface ExecResume {
  /** The thread id (a UUID); undefined with `--last`. */
  readonly threadId: string | undefined;
  /** The newest recorded thread (of this working directory unless `all`). */
  readonly last: boolean;
  readonly all: boolean;
}

/** One `codex exec` run, as parsed from the command line. */
export interface ExecRequest {
  /** The PROMPT argument (`-` or undefined: stdin). */
  readonly prompt: string | undefined;
  readonly resume?: ExecResume | undefined;
  /** `--json` / `--experimental-json`: JSONL events on stdout. */
  readonly json: boolean;
  readonly model?: string | undefined;
  /** `--cd`: the working root. */
  readonly cd?: string | undefined;
  readonly skipGitRepoCheck: boolean;
  readonly outputLastMessage?: string | undefined;
  /** `--output-schema`: a JSON Schema file the final message must follow. */
  readonly outputSchema?: string | undefined;
  /** `--profile`: the `[profiles.<name>]` of config.toml to apply. */
  readonly profile?: string | undefined;
  /** `--image` files, attached to the prompt. */
  readonly images: readonly string[];
  /** `--sandbox` (shown in the summary; no tool ever runs, so nothing is sandboxed). */
  readonly sandbox?: string | undefined;
  /** `-c` overrides (and `--enable`/`--disable` as `features.<name>=…`), in order. */
  readonly overrides: readonly string[];
}

/** What runExec builds on; tests replace parts of it. */
export interface ExecDependencies {
  readonly loadConfig?: (
    ctx: CliContext,
    overrides: readonly string[],
    profile?: string,
  ) => Promise<CodexConfig>;
  readonly createAuth?: (ctx: CliContext, config: CodexConfig) => Promise<AuthManager>;
  readonly createEngine?: (options: {
    config: CodexConfig;
    auth: AuthManager;
    originator: string;
    userAgent: string;
    env: NodeJS.ProcessEnv;
  }) => Promise<ThreadEngine>;
  /** Whether stdin is a terminal (default `ctx.stdin.isTTY`). */
  readonly stdinIsTTY?: boolean;
}

function defaultAuth(ctx: CliContext, config: CodexConfig): Promise<AuthManager> {
  return createAuthManagerFromConfig(config, { env: ctx.env, enableCodexApiKeyEnv: true });
}

async function defaultEngine(
  options: Parameters<NonNullable<ExecDependencies["createEngine"]>>[0],
) {
  const { createThreadEngine } = await import("@codex/app-server");
  return createThreadEngine({
    ...options,
    sessionSource: "exec",
    cliVersion: EXEC_UPSTREAM_VERSION,
  });
}

async function workingRoot(cd: string | undefined): Promise<string> {
  const dir = resolve(cd ?? process.cwd());
  if (cd === undefined) return dir;
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new CliError("usage", `Error: --cd ${cd}: no such directory`);
  return dir;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isEngineError(error: unknown, code: string): boolean {
  return (
    error instanceof Error &&
    error.name === "ThreadEngineError" &&
    (error as { code?: unknown }).code === code
  );
}

/** The id of the newest recorded thread (of `cwd` unless `all`), or undefined. */
async function lastThreadId(
  codexHome: string,
  cwd: string,
  all: boolean,
): Promise<string | undefined> {
  const { findLatestThreadPath } = await import("@codex/rollout");
  const path = await findLatestThreadPath(codexHome, all ? {} : { filterCwd: cwd });
  if (path === null) return undefined;
  return /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i.exec(
    basename(path),
  )?.[1];
}

function sandboxOf(request: ExecRequest, config: CodexConfig): string {
  if (request.sandbox !== undefined) return request.sandbox;
  const fromConfig = config.table.sandbox_mode;
  return typeof fromConfig === "string" ? fromConfig : "read-only";
}

function reasoningSummaryOf(config: CodexConfig): string | undefined {
  const value = config.table.model_reasoning_summary;
  return typeof value === "string" ? value : undefined;
}

/**
 * `codex exec`: one turn through the thread engine (session source `exec`), printed as 0.169
 * prints it: JSONL events on stdout with `--json`, else a summary and progress on stderr and the
 * answer alone on stdout. Returns the exit code: 0 when the turn completed, 1 when it failed or
 * was interrupted (Ctrl-C interrupts the turn; its rollout is flushed).
 *
 * @throws {CliError} for what stops it before the turn (no prompt, untrusted directory, unknown
 *   thread, bad config or flags), with the one line to print.
 */
export async function runExec(
  ctx: CliContext,
  request: ExecRequest,
  deps: ExecDependencies = {},
): Promise<number> {
  const write = (stream: NodeJS.WritableStream, text: string) => {
    if (text !== "") stream.write(text);
  };
  const loaded = await (deps.loadConfig ?? loadCodexConfig)(
    ctx,
    request.overrides,
    request.profile,
  );
  const config: CodexConfig =
    request.model === undefined ? loaded : { ...loaded, model: request.model };
  const cwd = await workingRoot(request.cd);
  const prompt = await resolvePrompt({
    prompt: request.prompt,
    mode: request.resume === undefined ? "new" : "resume",
    stdin: {
      isTTY: deps.stdinIsTTY ?? ctx.stdin.isTTY === true,
      // a prompt has no size limit upstream either
      readAll: () => readAllText(ctx.stdin, Number.POSITIVE_INFINITY),
    },
    notify: (line) => write(ctx.stderr, `${line}\n`),
  });
  if (!request.skipGitRepoCheck && (await findGitRoot(cwd)) === undefined) {
    throw new CliError("failed", UNTRUSTED_DIRECTORY_MESSAGE);
  }
  const input: ExecUserInput[] = [{ type: "text", text: prompt, text_elements: [] }];
  for (const image of request.images) input.push(await imageInput(image, cwd));
  const outputSchema =
    request.outputSchema === undefined
      ? undefined
      : await readOutputSchema(request.outputSchema, cwd);

  const originatorOverride = ctx.env.CODEX_INTERNAL_ORIGINATOR_OVERRIDE;
  const originator =
    originatorOverride !== undefined && originatorOverride !== ""
      ? originatorOverride
      : EXEC_ORIGINATOR;
  let auth: AuthManager;
  try {
    auth = await (deps.createAuth ?? defaultAuth)(ctx, config);
  } catch (error) {
    throw new CliError("failed", `Error: ${errorText(error)}`, { cause: error });
  }
  // the app-server's user agent, so both apps describe the machine the same (upstream's os_info)
  const { userAgent } = await import("@codex/app-server");
  const engine = await (deps.createEngine ?? defaultEngine)({
    config,
    auth,
    originator,
    userAgent: userAgent({
      originator,
      clientName: originator,
      clientVersion: EXEC_UPSTREAM_VERSION,
      version: EXEC_UPSTREAM_VERSION,
      env: ctx.env,
    }),
    env: ctx.env,
  });
  try {
    const started = await openThread(engine, request, config, cwd);
    return await runTurn(ctx, engine, started, request, config, prompt, input, outputSchema);
  } finally {
    await engine.close();
  }
}

async function openThread(
  engine: ThreadEngine,
  request: ExecRequest,
  config: CodexConfig,
  cwd: string,
): Promise<ThreadStartResult> {
  const resume = request.resume;
  let threadId = resume?.threadId;
  if (resume?.last === true) threadId = await lastThreadId(config.codexHome, cwd, resume.all);
  try {
    if (threadId === undefined) {
      return await engine.startThread({ cwd, model: config.model ?? null });
    }
    return await engine.resumeThread(threadId);
  } catch (error) {
    if (threadId !== undefined && isEngineError(error, "thread_not_found")) {
      throw new CliError(
        "failed",
        `Error: thread/resume: thread/resume failed: no rollout found for thread id ${threadId} (code -32600)`,
        { cause: error },
      );
    }
    throw new CliError("failed", `Error: ${errorText(error)}`, { cause: error });
  }
}

async function runTurn(
  ctx: CliContext,
  engine: ThreadEngine,
  started: ThreadStartResult,
  request: ExecRequest,
  config: CodexConfig,
  prompt: string,
  input: readonly ExecUserInput[],
  outputSchema: JsonObject | undefined,
): Promise<number> {
  const threadId = started.thread.id;
  const jsonl = request.json ? new JsonlEventMapper() : undefined;
  const human = request.json ? undefined : new HumanOutput();
  if (jsonl !== undefined) {
    ctx.stdout.write(formatExecEvent(jsonl.threadStarted(threadId)));
  } else {
    ctx.stderr.write(
      formatSummary({
        version: EXEC_UPSTREAM_VERSION,
        workdir: started.cwd,
        model: started.model,
        provider: started.modelProvider,
        sandbox: sandboxOf(request, config),
        reasoningEffort: started.reasoningEffort ?? undefined,
        reasoningSummaries: reasoningSummaryOf(config),
        sessionId: threadId,
        prompt,
      }),
    );
  }

  let finished: () => void = () => {};
  const done = new Promise<void>((resolveDone) => {
    finished = resolveDone;
  });
  const handle = (event: TurnEvent) => {
    if (jsonl !== undefined) {
      for (const line of jsonl.map(event)) ctx.stdout.write(formatExecEvent(line));
    } else if (human !== undefined) {
      const text = human.render(event);
      if (text !== "") ctx.stderr.write(text);
    }
    if (event.kind === "turnCompleted" && event.status !== "inProgress") finished();
  };
  const turn = await engine.startTurn(
    threadId,
    input,
    (notification) => handle(readTurnNotification(notification)),
    {
      // the engine's running total goes on from a resumed rollout's last token_count, as 0.169's
      onTokenUsageStep: ({ total }) =>
        handle({
          kind: "tokenUsage",
          total: {
            inputTokens: total.input_tokens,
            cachedInputTokens: total.cached_input_tokens,
            cacheWriteInputTokens: total.cache_write_input_tokens,
            outputTokens: total.output_tokens,
            reasoningOutputTokens: total.reasoning_output_tokens,
          },
        }),
      ...(outputSchema === undefined ? {} : { outputSchema }),
    },
  );
  const interrupt = () => {
    void engine.interruptTurn(threadId, turn.id).catch(() => {});
  };
  ctx.signal.addEventListener("abort", interrupt, { once: true });
  if (ctx.signal.aborted) interrupt();
  try {
    await done;
  } finally {
    ctx.signal.removeEventListener("abort", interrupt);
  }

  const outcome: TurnOutcome = jsonl?.outcome ?? human?.outcome ?? "failed";
  const finalMessage = outcome === "completed" ? (jsonl ?? human)?.finalMessage : undefined;
  if (request.outputLastMessage !== undefined) {
    try {
      await writeLastMessageFile(request.outputLastMessage, finalMessage);
    } catch (error) {
      ctx.stderr.write(`${errorText(error)}\n`);
    }
  }
  if (human !== undefined) {
    const final = human.final({
      stdout: ctx.stdout.isTTY === true,
      stderr: ctx.stderr.isTTY === true,
    });
    if (final.stderr !== "") ctx.stderr.write(final.stderr);
    if (final.stdout !== "") ctx.stdout.write(final.stdout);
  }
  return outcome === "completed" ? 0 : 1;
}

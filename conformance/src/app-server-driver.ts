/**
 * One driver for app-server scenarios, run unchanged against the real `codex app-server` (0.169)
 * and against our `codex-app-server`: a fresh temporary HOME/CODEX_HOME and fake backend per run,
 * raw newline-delimited JSON on the child's stdio, every message the server writes recorded in
 * arrival order, server requests (`attestation/generate`, `account/chatgptAuthTokens/refresh`)
 * answered by the scenario's handlers. The transcript is compared with
 * `app-server-transcript.ts`.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type FakeBackend,
  type FakeBackendOptions,
  startFakeBackend,
  type TokenSet,
} from "@codex/fake-backend";
import {
  classify,
  kept,
  outline,
  type Raw,
  type ServerMessage,
  type Signature,
  signatures,
} from "./app-server-transcript.js";
import { codexEnv, createTempCodexHome, type TempCodexHome } from "./codex-harness.js";

/** Which implementation a run drives. */
export type ServerName = "upstream" | "ours";

/** How to start one implementation (stdio app-server). */
export interface ServerUnderTest {
  readonly name: ServerName;
  readonly command: string;
  readonly args: readonly string[];
}

/** The real codex: `codex app-server`. */
export function upstreamAppServer(binary: string): ServerUnderTest {
  return { name: "upstream", command: binary, args: ["app-server"] };
}

/** Env var naming another build of our bin (a JS file run with this `node`). */
export const OUR_APP_SERVER_BIN_ENV = "APP_SERVER_CONFORMANCE_BIN";

/** `apps/app-server` of this repository. */
export const OUR_APP_SERVER_DIR = fileURLToPath(new URL("../../apps/app-server/", import.meta.url));

/**
 * Our built `codex-app-server` (the `bin` of apps/app-server/package.json, run with this
 * `node`; `APP_SERVER_CONFORMANCE_BIN` overrides it), or the reason it cannot run yet.
 */
export function ourAppServer(
  env: NodeJS.ProcessEnv = process.env,
): { readonly server: ServerUnderTest } | { readonly skip: string } {
  const given = env[OUR_APP_SERVER_BIN_ENV];
  if (given !== undefined && given !== "") {
    return existsSync(given)
      ? { server: { name: "ours", command: process.execPath, args: [given] } }
      : { skip: `${OUR_APP_SERVER_BIN_ENV}=${given} does not exist` };
  }
  const dist = join(OUR_APP_SERVER_DIR, "dist");
  if (!existsSync(dist)) {
    return { skip: `apps/app-server/dist does not exist (build @codex/app-server first)` };
  }
  const manifest = JSON.parse(readFileSync(join(OUR_APP_SERVER_DIR, "package.json"), "utf8")) as {
    bin?: Record<string, string> | string;
  };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.["codex-app-server"];
  if (bin === undefined) {
    return { skip: "apps/app-server/package.json has no codex-app-server bin yet" };
  }
  const path = join(OUR_APP_SERVER_DIR, bin);
  if (!existsSync(path)) return { skip: `${path} is not built` };
  return { server: { name: "ours", command: process.execPath, args: [path] } };
}

/** What a step's callbacks can see. */
export interface ScenarioContext {
  readonly server: ServerName;
  readonly backend: FakeBackend;
  readonly home: TempCodexHome;
  /** Tokens minted for this run (external-auth scenarios hand them to the server). */
  readonly tokens: TokenSet;
  /** Results (or errors) of labelled request steps. */
  readonly results: Map<string, ServerMessage>;
  /** Everything the server wrote so far. */
  readonly messages: readonly ServerMessage[];
}

type Lazy<T> = T | ((ctx: ScenarioContext) => T);

/** A client request; the driver waits for its answer, then for the `after` notifications. */
export interface RequestStep {
  readonly kind: "request";
  readonly method: string;
  /** `undefined` sends no `params` member. */
  readonly params?: Lazy<unknown>;
  /** Request id (default: the driver's counter, 1, 2, …). */
  readonly id?: string | number;
  /** Stores the answer in `ctx.results`. */
  readonly label?: string;
  /** Notifications that follow the answer, waited for in this order. */
  readonly after?: readonly string[];
  /** The error message varies (compared as a string). */
  readonly looseMessage?: boolean;
  /** Checked on both servers with the answer. */
  readonly expect?: (answer: ServerMessage, ctx: ScenarioContext) => void;
  /** How long to wait for the answer (default 20 s). */
  readonly timeoutMs?: number;
}

/** The remaining steps. */
export type Step =
  | RequestStep
  | { readonly kind: "notify"; readonly method: string; readonly params?: unknown }
  /** A raw line that must get no reply within `quietMs` (default 300). */
  | { readonly kind: "raw"; readonly line: string; readonly quietMs?: number }
  /** Waits; nothing is asserted (the comparison sees whatever arrived). */
  | { readonly kind: "quiet"; readonly ms: number }
  /** Waits for the next notification `method` (counted from the previous step). */
  | { readonly kind: "waitFor"; readonly method: string; readonly timeoutMs?: number }
  /** Arbitrary check (files in the home, backend state), on both servers. */
  | { readonly kind: "check"; readonly run: (ctx: ScenarioContext) => void | Promise<void> };

/** An answer to a server request; `undefined` leaves it unanswered. */
export type ServerRequestAnswer =
  | { readonly result: unknown }
  | { readonly error: { readonly code: number; readonly message: string } }
  | undefined;

/** A scenario: the same steps for both servers. */
export interface Scenario {
  readonly name: string;
  readonly steps: readonly Step[];
  /** `config.toml` (default {@link chatgptProviderConfig}). */
  readonly config?: (urls: BackendUrls) => string;
  /**
   * Options of the run's fake backend; `account.workspaceBackendOrigin` defaults to
   * {@link WORKSPACE_BACKEND_ORIGIN} (0.169 refuses ChatGPT tokens without workspace routing).
   */
  readonly backendOptions?: FakeBackendOptions;
  /** Extra environment of the server process. */
  readonly env?: Readonly<Record<string, string>>;
  /** Answers to server requests by method (n counts that method's requests, from 1). */
  readonly answers?: Readonly<
    Record<string, (params: unknown, ctx: ScenarioContext, n: number) => ServerRequestAnswer>
  >;
  /** Strings that must never appear on the server's stderr (keys, tokens). */
  readonly secrets?: (ctx: ScenarioContext) => readonly string[];
  /** Final check after the last step, before the home is removed. */
  readonly verify?: (run: ScenarioRun, ctx: ScenarioContext) => void | Promise<void>;
}

/** What one run left. */
export interface ScenarioRun {
  readonly server: ServerName;
  readonly messages: readonly ServerMessage[];
  readonly signatures: readonly Signature[];
  /** One line per kept message, for failure reports. */
  readonly outline: readonly string[];
  readonly stderr: string;
  readonly exitCode: number | null;
}

/** Where the server under test reaches the fake backend. */
export interface BackendUrls {
  readonly chatgptBaseUrl: string;
  readonly openaiBaseUrl: string;
}

/** `model`/`model_provider`/`chatgpt_base_url` and one provider `fake` on the backend. */
function providerConfig(backend: BackendUrls, baseUrl: string): string {
  return [
    `model = "gpt-5.5"`,
    `model_provider = "fake"`,
    `chatgpt_base_url = ${JSON.stringify(backend.chatgptBaseUrl)}`,
    "",
    "[model_providers.fake]",
    `name = "fake"`,
    `base_url = ${JSON.stringify(baseUrl)}`,
    `wire_api = "responses"`,
    "requires_openai_auth = true",
    "supports_websockets = false",
    "request_max_retries = 0",
    "stream_max_retries = 0",
    "",
  ].join("\n");
}

/** The upstream doc's block: the provider on the ChatGPT surface (`…/backend-api/codex`). */
export function chatgptProviderConfig(backend: BackendUrls): string {
  return providerConfig(backend, `${backend.chatgptBaseUrl}/codex`);
}

/** The same with the provider on the OpenAI API surface (`…/v1`), for API-key turns. */
export function apiKeyProviderConfig(backend: BackendUrls): string {
  return providerConfig(backend, backend.openaiBaseUrl);
}

/**
 * The `workspace_backend_origin` the backend's `/wham/accounts/check` names (list form, which is
 * the one 0.169 reads routing from); no data-residency constraint, so requests stay put.
 */
export const WORKSPACE_BACKEND_ORIGIN = "https://chatgpt.com";

/** A scenario step failed; the message carries the transcript so far. */
export class ScenarioError extends Error {}

/** Runs one scenario against one server, start to finish (home, backend and process removed). */
export async function runScenario(
  server: ServerUnderTest,
  scenario: Scenario,
): Promise<ScenarioRun> {
  const backend = await startFakeBackend({
    ...scenario.backendOptions,
    account: {
      workspaceBackendOrigin: WORKSPACE_BACKEND_ORIGIN,
      ...scenario.backendOptions?.account,
    },
  });
  const home = await createTempCodexHome();
  let child: ChildProcessWithoutNullStreams | undefined;
  try {
    await writeFile(
      join(home.home, "config.toml"),
      (scenario.config ?? chatgptProviderConfig)(backend),
      { mode: 0o600 },
    );
    const messages: ServerMessage[] = [];
    const ctx: ScenarioContext = {
      server: server.name,
      backend,
      home,
      tokens: backend.issueTokens(),
      results: new Map(),
      messages,
    };
    const proc = spawn(server.command, [...server.args], {
      cwd: home.workdir,
      env: codexEnv(home, scenario.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    child = proc;
    let stderr = "";
    let exitCode: number | null = null;
    let exited = false;
    const exit = new Promise<void>((resolve) =>
      proc.on("close", (code) => {
        exited = true;
        exitCode = code;
        wake();
        resolve();
      }),
    );
    proc.on("error", () => {});
    proc.stdin.on("error", () => {});
    proc.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const waiters = new Set<() => void>();
    const wake = () => {
      for (const w of [...waiters]) w();
    };
    const counts = new Map<string, number>();
    const send = (value: unknown) => {
      proc.stdin.write(`${typeof value === "string" ? value : JSON.stringify(value)}\n`);
    };
    let buffer = "";
    proc.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line === "") continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          parsed = { unparsable: line };
        }
        const raw: Raw =
          parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
            ? (parsed as Raw)
            : { notAnObject: parsed };
        const message = classify(raw);
        messages.push(message);
        if (message.kind === "serverRequest") {
          const n = (counts.get(message.method) ?? 0) + 1;
          counts.set(message.method, n);
          const answer = scenario.answers?.[message.method]?.(message.params, ctx, n);
          if (answer !== undefined) send({ id: message.id, ...answer });
        }
        wake();
      }
    });

    const describe = () =>
      `${server.name} transcript so far:\n  ${outline(messages).join("\n  ")}\nstderr tail:\n${stderr.slice(-2000)}`;
    const waitUntil = (found: () => boolean, timeoutMs: number, what: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!found()) {
            if (exited) finish(new ScenarioError(`${what}: the server exited\n${describe()}`));
            return;
          }
          finish();
        };
        const timer = setTimeout(
          () => finish(new ScenarioError(`${what}: not within ${timeoutMs} ms\n${describe()}`)),
          timeoutMs,
        );
        const finish = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error === undefined) resolve();
          else reject(error);
        };
        waiters.add(check);
        check();
      });
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

    let nextId = 1;
    let cursor = 0; // notifications before this index belong to earlier steps
    const looseIds = new Set<unknown>();
    for (const step of scenario.steps) {
      switch (step.kind) {
        case "request": {
          const id = step.id ?? nextId++;
          const params = typeof step.params === "function" ? step.params(ctx) : step.params;
          if (step.looseMessage === true) looseIds.add(id);
          const sentAt = messages.length;
          send(
            params === undefined
              ? { id, method: step.method }
              : { id, method: step.method, params },
          );
          let answer: ServerMessage | undefined;
          await waitUntil(
            () => {
              answer = messages.find(
                (m, i) =>
                  i >= sentAt && (m.kind === "response" || m.kind === "error") && m.id === id,
              );
              return answer !== undefined;
            },
            step.timeoutMs ?? 20_000,
            `answer to ${step.method} #${String(id)}`,
          );
          const got = answer as ServerMessage;
          let from = sentAt;
          for (const method of step.after ?? []) {
            await waitUntil(
              () => {
                const at = messages.findIndex(
                  (m, i) => i >= from && m.kind === "notification" && m.method === method,
                );
                if (at < 0) return false;
                from = at + 1;
                return true;
              },
              step.timeoutMs ?? 20_000,
              `${method} after ${step.method} #${String(id)}`,
            );
          }
          cursor = Math.max(from, messages.length);
          if (step.label !== undefined) ctx.results.set(step.label, got);
          try {
            step.expect?.(got, ctx);
          } catch (error) {
            throw new ScenarioError(
              `${server.name}: ${step.method} #${String(id)}: ${(error as Error).message}\n${describe()}`,
            );
          }
          break;
        }
        case "notify":
          send(
            step.params === undefined
              ? { method: step.method }
              : { method: step.method, params: step.params },
          );
          break;
        case "raw": {
          const before = kept(messages).length;
          send(step.line);
          await sleep(step.quietMs ?? 300);
          const extra = kept(messages).slice(before);
          if (extra.length > 0) {
            throw new ScenarioError(
              `${server.name}: ${JSON.stringify(step.line)} got a reply: ${outline(extra).join("; ")}`,
            );
          }
          cursor = messages.length;
          break;
        }
        case "quiet":
          await sleep(step.ms);
          cursor = messages.length;
          break;
        case "waitFor": {
          const start = cursor;
          await waitUntil(
            () => {
              const at = messages.findIndex(
                (m, i) => i >= start && m.kind === "notification" && m.method === step.method,
              );
              if (at < 0) return false;
              cursor = at + 1;
              return true;
            },
            step.timeoutMs ?? 20_000,
            `notification ${step.method}`,
          );
          break;
        }
        case "check":
          try {
            await step.run(ctx);
          } catch (error) {
            throw new ScenarioError(
              `${server.name}: check: ${(error as Error).message}\n${describe()}`,
            );
          }
          break;
      }
    }
    await sleep(250);
    proc.stdin.end();
    const killer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
    await exit;
    clearTimeout(killer);
    const run: ScenarioRun = {
      server: server.name,
      messages,
      signatures: signatures(messages, { looseMessageIds: looseIds }),
      outline: outline(messages),
      stderr,
      exitCode,
    };
    for (const secret of scenario.secrets?.(ctx) ?? []) {
      if (secret !== "" && stderr.includes(secret)) {
        throw new ScenarioError(`${server.name}: a secret appeared on stderr`);
      }
    }
    await scenario.verify?.(run, ctx);
    return run;
  } finally {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
    }
    await backend.close();
    await home.cleanup();
  }
}

/**
 * Drives the BUILT `codex-app-server` (dist/bin.js, started with plain node) over stdio, like an
 * IDE client would: a fresh CODEX_HOME with 0.169's demo config pointed at a fake backend, raw
 * lines in, every line out parsed and checked against the vendored 0.169 schema.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { FakeBackend } from "@codex/fake-backend";
import { Ajv, type ValidateFunction } from "ajv";

const APP_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = join(APP_ROOT, "dist", "bin.js");
const SCHEMA_DIR = fileURLToPath(new URL("../fixtures/schema-0.169/", import.meta.url));

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
const validators = new Map<string, ValidateFunction>();

function validator(file: string): ValidateFunction {
  let validate = validators.get(file);
  if (validate === undefined) {
    validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, file), "utf8")) as object);
    validators.set(file, validate);
  }
  return validate;
}

/** The 0.169 schema file of each method's result (getAuthStatus is v1: not in the generated set). */
const RESULT_SCHEMAS: Readonly<Record<string, string>> = {
  initialize: "v1/InitializeResponse.json",
  "account/read": "v2/GetAccountResponse.json",
  "account/login/start": "v2/LoginAccountResponse.json",
  "account/login/cancel": "v2/CancelLoginAccountResponse.json",
  "account/logout": "v2/LogoutAccountResponse.json",
  "account/rateLimits/read": "v2/GetAccountRateLimitsResponse.json",
  "thread/start": "v2/ThreadStartResponse.json",
  "turn/start": "v2/TurnStartResponse.json",
  "turn/interrupt": "v2/TurnInterruptResponse.json",
};

export type Message = Record<string, unknown>;

function check(file: string, value: unknown, line: string, into: string[]): void {
  const validate = validator(file);
  if (validate(value) !== true) {
    into.push(`${file}: ${ajv.errorsText(validate.errors)} in ${line.slice(0, 400)}`);
  }
}

/** Writes the config.toml of app-server-0169.md ("Config used") for `backend`. */
export function writeDemoConfig(home: string, backend: FakeBackend, extra: string[] = []): void {
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, "config.toml"),
    [
      ...extra,
      `chatgpt_base_url = "${backend.chatgptBaseUrl}"`,
      'model = "gpt-demo"',
      'model_provider = "demo"',
      "",
      "[model_providers.demo]",
      'name = "demo"',
      `base_url = "${backend.chatgptBaseUrl}/codex"`,
      'wire_api = "responses"',
      "requires_openai_auth = true",
      "supports_websockets = false",
      "request_max_retries = 0",
      "stream_max_retries = 0",
      "",
    ].join("\n"),
  );
}

export interface StartOptions {
  readonly backend: FakeBackend;
  /** Lines put at the top of config.toml (before the tables). */
  readonly configLines?: string[];
  readonly args?: string[];
  readonly env?: Record<string, string>;
  /** Files to put in CODEX_HOME before the server starts (name → text), e.g. `auth.json`. */
  readonly homeFiles?: Readonly<Record<string, string>>;
  /** Answers server → client requests (default: none, the request stays unanswered). */
  readonly onServerRequest?: (message: Message) => Message | undefined;
}

/** One running server process and what it wrote. */
export class AppServerProcess {
  readonly home: string;
  readonly child: ChildProcessWithoutNullStreams;
  /** Every message the server wrote, in order. */
  readonly messages: Message[] = [];
  /** Every schema violation (or malformed line) seen so far. */
  readonly violations: string[] = [];
  stderr = "";
  readonly #root: string;
  readonly #methods = new Map<unknown, string>();
  readonly #waiters: Array<{ match: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  readonly #exited: Promise<number | null>;
  #nextId = 1;

  constructor(options: StartOptions) {
    this.#root = mkdtempSync(join(tmpdir(), "app-server-e2e-"));
    this.home = join(this.#root, "home");
    writeDemoConfig(this.home, options.backend, options.configLines);
    for (const [name, text] of Object.entries(options.homeFiles ?? {})) {
      writeFileSync(join(this.home, name), text, { mode: 0o600 });
    }
    this.child = spawn(process.execPath, [BIN, ...(options.args ?? [])], {
      cwd: this.#root,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: this.#root,
        CODEX_HOME: this.home,
        TERM: "xterm",
        CODEX_APP_SERVER_LOGIN_ISSUER: options.backend.issuerUrl,
        CODEX_APP_SERVER_LOGIN_PORT: "0",
        ...options.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stderr.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString("utf8");
    });
    this.#exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
    const lines = createInterface({ input: this.child.stdout });
    lines.on("line", (line) => this.#onLine(line, options.onServerRequest));
  }

  #onLine(line: string, onServerRequest: StartOptions["onServerRequest"]): void {
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      this.violations.push(`not JSON: ${line.slice(0, 200)}`);
      return;
    }
    this.messages.push(message);
    this.#validate(message, line);
    if ("method" in message && "id" in message && onServerRequest !== undefined) {
      const answer = onServerRequest(message);
      if (answer !== undefined) this.send({ id: message.id, ...answer });
    }
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(message)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  }

  #validate(message: Message, line: string): void {
    if ("jsonrpc" in message) this.violations.push(`jsonrpc member in ${line.slice(0, 200)}`);
    if ("method" in message && "id" in message) {
      check("ServerRequest.json", message, line, this.violations);
      if ("emittedAtMs" in message) this.violations.push(`emittedAtMs on a request: ${line}`);
    } else if ("method" in message) {
      check("ServerNotification.json", message, line, this.violations);
      if (!Number.isSafeInteger(message.emittedAtMs)) {
        this.violations.push(`notification without integer emittedAtMs: ${line.slice(0, 200)}`);
      }
    } else if ("error" in message) {
      check("JSONRPCError.json", message, line, this.violations);
      if (Object.keys(message)[0] !== "error")
        this.violations.push(`error member not first: ${line}`);
    } else {
      check("JSONRPCResponse.json", message, line, this.violations);
      const method = this.#methods.get(message.id);
      const file = method === undefined ? undefined : RESULT_SCHEMAS[method];
      if (file !== undefined) check(file, message.result, line, this.violations);
    }
  }

  /** Writes one raw line (anything: garbage included). */
  writeLine(text: string): void {
    this.child.stdin.write(`${text}\n`);
  }

  /** Sends one message. */
  send(message: Message): void {
    if (typeof message.method === "string" && "id" in message) {
      this.#methods.set(message.id, message.method);
    }
    this.writeLine(JSON.stringify(message));
  }

  /** Resolves with the next message (already seen or coming) matching `match`, after index `from`. */
  waitFor(match: (m: Message) => boolean, from = 0): Promise<Message> {
    const seen = this.messages.slice(from).find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** Sends a request and resolves with its reply (result or error message). */
  request(
    method: string,
    params?: unknown,
    id: string | number = this.#nextId++,
  ): Promise<Message> {
    const message: Message = { id, method };
    if (params !== undefined) message.params = params;
    const from = this.messages.length;
    this.send(message);
    return this.waitFor((m) => m.id === id && !("method" in m), from);
  }

  /** Resolves with the next notification `method` after index `from`. */
  notification(method: string, from = 0): Promise<Message> {
    return this.waitFor((m) => m.method === method && !("id" in m), from);
  }

  /** `initialize` + `initialized`. */
  async initialize(capabilities?: unknown, name = "acme_desktop"): Promise<Message> {
    const params: Message = { clientInfo: { name, version: "1.2.3" } };
    if (capabilities !== undefined) params.capabilities = capabilities;
    const reply = await this.request("initialize", params);
    this.send({ method: "initialized" });
    return reply;
  }

  /** Notifications written after index `from`, by method. */
  notificationsSince(from: number): string[] {
    return this.messages
      .slice(from)
      .filter((m) => typeof m.method === "string" && !("id" in m))
      .map((m) => m.method as string);
  }

  /** Ends stdin and waits for the exit code. */
  async end(): Promise<number | null> {
    this.child.stdin.end();
    return this.#exited;
  }

  /** The exit code once the process ended. */
  get exited(): Promise<number | null> {
    return this.#exited;
  }

  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGKILL");
      await this.#exited;
    }
    rmSync(this.#root, { recursive: true, force: true });
  }
}

/**
 * The bench's client of a child speaking newline-delimited JSON on stdio: numeric request ids,
 * answers matched by id, notifications handed to one listener. The same client drives the echo
 * baseline and the app-server, so its own cost is on both sides.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";

/** A JSON-RPC answer, as written by the child. */
interface Answer {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
}

/** A notification, as written by the child. */
export interface Notification {
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

/** One child process and its pending requests. */
export class StdioPeer {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, (answer: Answer) => void>();
  #nextId = 1;
  #buffer = "";
  #stderr = "";
  /** Called with every notification. */
  onNotification: (notification: Notification) => void = () => {};

  constructor(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv) {
    this.#child = spawn(command, [...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    this.#child.stdout.setEncoding("utf8").on("data", (chunk: string) => this.#onData(chunk));
    this.#child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4000);
    });
    this.#child.on("close", (code) => {
      for (const [id, resolve] of this.#pending) {
        resolve({ id, error: { code: -1, message: `child exited (${code}): ${this.#stderr}` } });
      }
      this.#pending.clear();
    });
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    for (let nl = this.#buffer.indexOf("\n"); nl >= 0; nl = this.#buffer.indexOf("\n")) {
      const line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(nl + 1);
      if (line.trim() === "") continue;
      const message = JSON.parse(line) as Partial<Answer> & Partial<Notification>;
      if (typeof message.method === "string") {
        if (message.id === undefined) this.onNotification(message as Notification);
        continue;
      }
      if (typeof message.id !== "number") continue;
      const resolve = this.#pending.get(message.id);
      if (resolve === undefined) continue;
      this.#pending.delete(message.id);
      resolve(message as Answer);
    }
  }

  /** Sends a request; resolves with its result, rejects on an error answer. */
  request(method: string, params?: unknown): Promise<unknown> {
    const id = this.#nextId++;
    if (!this.#child.stdin.writable) return Promise.reject(new Error(`${method}: stdin closed`));
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (answer) => {
        if (answer.error !== undefined) {
          reject(new Error(`${method}: ${answer.error.code} ${answer.error.message}`));
        } else {
          resolve(answer.result);
        }
      });
      this.#child.stdin.write(
        `${JSON.stringify(params === undefined ? { id, method } : { id, method, params })}\n`,
      );
    });
  }

  /** Sends a notification. */
  notify(method: string): void {
    this.#child.stdin.write(`${JSON.stringify({ method })}\n`);
  }

  /** Closes stdin and waits for the exit (killed after 5 s). */
  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once("close", () => resolve()));
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

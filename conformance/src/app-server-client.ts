import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { codexEnv, type TempCodexHome } from "./codex-harness.js";

/** A JSON-RPC error answered by the app-server. */
export class AppServerRpcError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(`app-server error ${code}: ${message}`);
    this.code = code;
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A minimal client of the real `codex app-server` over stdio (one JSON object per line):
 * requests with numeric ids, notifications collected, server requests left unanswered.
 */
export class AppServerClient {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #buffer = "";
  #exited = false;
  /** Everything the server wrote to stderr. */
  stderr = "";
  /** Notifications received, in order. */
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly #waiters = new Set<() => void>();

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => this.#onData(chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr += chunk;
    });
    child.stdin.on("error", () => {});
    child.on("close", () => {
      this.#exited = true;
      for (const [id, pending] of this.#pending) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`app-server exited before answering request ${id}`));
      }
      this.#pending.clear();
    });
  }

  /** Spawns `codex app-server` in the home and completes `initialize` + `initialized`. */
  static async start(
    binary: string,
    home: TempCodexHome,
    env: Readonly<Record<string, string>> = {},
  ): Promise<AppServerClient> {
    const child = spawn(binary, ["app-server"], {
      cwd: home.workdir,
      env: codexEnv(home, env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const client = new AppServerClient(child);
    try {
      await client.request("initialize", {
        clientInfo: { name: "codex_conformance", version: "0.0.0" },
      });
      client.notify("initialized");
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    let newline = this.#buffer.indexOf("\n");
    while (newline >= 0) {
      const line = this.#buffer.slice(0, newline).trim();
      this.#buffer = this.#buffer.slice(newline + 1);
      newline = this.#buffer.indexOf("\n");
      if (line === "") continue;
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      const id = message.id;
      if (typeof id === "number" && !("method" in message)) {
        const pending = this.#pending.get(id);
        if (pending === undefined) continue;
        this.#pending.delete(id);
        clearTimeout(pending.timer);
        const error = message.error as { code?: unknown; message?: unknown } | undefined;
        if (error !== undefined) {
          pending.reject(
            new AppServerRpcError(
              typeof error.code === "number" ? error.code : 0,
              typeof error.message === "string" ? error.message : "",
            ),
          );
        } else {
          pending.resolve(message.result);
        }
      } else if (typeof message.method === "string" && id === undefined) {
        this.notifications.push({ method: message.method, params: message.params });
        for (const wake of [...this.#waiters]) wake();
      }
    }
  }

  /** Sends a request and waits (default 30 s) for its answer. */
  request(method: string, params: unknown, timeoutMs = 30_000): Promise<unknown> {
    if (this.#exited) return Promise.reject(new Error("app-server has exited"));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`app-server did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  /** Resolves with the params of the first notification `method` (already received or next). */
  waitForNotification(method: string, timeoutMs = 60_000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.notifications.find((n) => n.method === method);
        if (found === undefined) return false;
        this.#waiters.delete(wake);
        clearTimeout(timer);
        resolve(found.params);
        return true;
      };
      const wake = () => {
        check();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`no ${method} notification within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.#waiters.add(wake);
    });
  }

  /** Sends a notification. */
  notify(method: string, params?: unknown): void {
    this.#child.stdin.write(
      `${JSON.stringify(params === undefined ? { method } : { method, params })}\n`,
    );
  }

  /** Closes stdin, waits up to 5 s for the exit, then kills the process. */
  async close(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once("close", () => resolve()));
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

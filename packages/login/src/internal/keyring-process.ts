import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One keyring operation, run in a child process so a hanging Secret Service can be killed. */
export type KeyringRequest =
  | { readonly op: "get"; readonly service: string; readonly account: string }
  | {
      readonly op: "set";
      readonly service: string;
      readonly account: string;
      readonly value: string;
    }
  | { readonly op: "delete"; readonly service: string; readonly account: string };

/** Outcome of a keyring operation. */
export type KeyringOutcome =
  | { readonly kind: "ok"; readonly value: string | null | boolean }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "timeout" };

// The helper program is src/internal/keyring-worker.ts, compiled beside this module into dist and
// started with plain `node` by path (no `-e` string, no loader).
//
// When this module itself runs from its TypeScript source (login's own vitest run imports src/),
// its sibling is a .ts file that plain node cannot start, so the compiled worker in the package's
// dist/ is used instead. Login's vitest globalSetup (test/support/build-workers.global.ts) builds
// dist when that worker is missing or older than its source, so tests never start a stale helper.
let workerPath: string | undefined;
function keyringWorkerPath(): string {
  if (workerPath === undefined) {
    const here = fileURLToPath(import.meta.url);
    workerPath = here.endsWith(".ts")
      ? join(dirname(here), "..", "..", "dist", "internal", "keyring-worker.js")
      : join(dirname(here), "keyring-worker.js");
  }
  return workerPath;
}

/** Environment for the keyring child process (default: this process's environment). */
export interface KeyringProcessOptions {
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv | undefined;
}

/**
 * Runs one keyring operation in a child Node process with a hard timeout (SIGKILL). The native
 * keyring calls block their thread, so only a separate process lets the timeout fire for real.
 */
export function runKeyringOperation(
  request: KeyringRequest,
  options: KeyringProcessOptions,
): Promise<KeyringOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: KeyringOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const child = spawn(process.execPath, [keyringWorkerPath()], {
      stdio: ["pipe", "pipe", "pipe"],
      env: options.env ?? process.env,
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish({ kind: "timeout" });
    }, options.timeoutMs);
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c;
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      if (err.length < 2000) err += c;
    });
    child.on("error", (e) =>
      finish({ kind: "error", message: `cannot start keyring helper: ${e.message}` }),
    );
    child.on("close", () => {
      try {
        const parsed = JSON.parse(out) as { ok: boolean; value?: unknown; message?: unknown };
        if (parsed.ok) {
          const v = parsed.value;
          finish({
            kind: "ok",
            value: typeof v === "string" || typeof v === "boolean" ? v : null,
          });
        } else {
          finish({ kind: "error", message: String(parsed.message ?? "unknown keyring error") });
        }
      } catch {
        const firstLine = err
          .split("\n")
          .find((l) => l.trim() !== "" && !l.includes("dbus-daemon"));
        finish({
          kind: "error",
          message: `keyring helper exited without an answer${firstLine ? `: ${firstLine.trim().slice(0, 200)}` : ""}`,
        });
      }
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(JSON.stringify(request));
  });
}

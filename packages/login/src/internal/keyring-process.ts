import { spawn } from "node:child_process";
import { createRequire } from "node:module";

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

// The child reads one JSON request on stdin (never argv: secrets must not show in `ps`), calls
// @napi-rs/keyring synchronously and prints one JSON answer on stdout.
// Entry.getPassword() and Entry.deletePassword() answer null / false both for "no entry" and for
// "no Secret Service at all" (the library swallows the error), so a miss is confirmed with
// findCredentials(), which throws when the store cannot be reached (Linux: no D-Bus session or no
// Secret Service): an unreachable keyring is an error, never a silent "not logged in" or a logout
// that removed nothing.
const CHILD_SCRIPT = `
import { createRequire } from "node:module";
let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
const req = JSON.parse(input);
let answer;
try {
  const { Entry, findCredentials } = createRequire(req.module)(req.module);
  const entry = new Entry(req.service, req.account);
  const noEntry = (err) => /no.?entry|no matching entry/i.test(String(err && err.message));
  // Only the Secret Service (Linux) can be missing altogether; elsewhere a miss is a miss.
  const confirmMiss = () => { if (process.platform === "linux") findCredentials(req.service); };
  let value = null;
  if (req.op === "get") {
    try { value = entry.getPassword() ?? null; }
    catch (err) { if (noEntry(err)) value = null; else throw err; }
    if (value === null) confirmMiss();
  } else if (req.op === "set") { entry.setPassword(req.value); }
  else {
    try { value = entry.deletePassword() !== false; }
    catch (err) { if (noEntry(err)) value = false; else throw err; }
    if (value === false) confirmMiss();
  }
  answer = { ok: true, value };
} catch (err) {
  answer = { ok: false, message: String((err && err.message) || err).split("\\n")[0].slice(0, 300) };
}
process.stdout.write(JSON.stringify(answer));
`;

let keyringModulePath: string | undefined;
function resolveKeyringModule(): string {
  keyringModulePath ??= createRequire(import.meta.url).resolve("@napi-rs/keyring");
  return keyringModulePath;
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
    const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD_SCRIPT], {
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
    child.stdin.end(JSON.stringify({ ...request, module: resolveKeyringModule() }));
  });
}

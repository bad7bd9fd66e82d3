// Lock holders and probes outside this process: our own worker (plain node), util-linux flock(1)
// and Python's fcntl.flock, so the tests see that each one excludes the others.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { type SystemTestGate, systemTestGate } from "@codex/wire/testing";
import type { TestContext } from "vitest";

const resolved = new Map<string, string | undefined>();

/**
 * The executable behind `command`, or undefined when it does not run. For python3 the real
 * interpreter (`sys.executable`), so that each later start skips a version-manager shim.
 */
function resolveTool(command: string): string | undefined {
  if (resolved.has(command)) return resolved.get(command);
  let path: string | undefined;
  if (command === "python3") {
    const result = spawnSync(command, ["-c", "import sys; print(sys.executable)"]);
    const text = result.status === 0 ? result.stdout.toString().trim() : "";
    path = text === "" ? undefined : text;
  } else {
    const result = spawnSync(command, ["--version"], { stdio: "ignore" });
    path = result.error === undefined && result.status === 0 ? command : undefined;
  }
  resolved.set(command, path);
  return path;
}

/** True when `command` runs. */
export function hasTool(command: string): boolean {
  return resolveTool(command) !== undefined;
}

function toolPath(command: string): string {
  const path = resolveTool(command);
  if (path === undefined) throw new Error(`${command} is not installed`);
  return path;
}

const gates = new Map<string, SystemTestGate>();

/**
 * Skips the test with a printed reason when a system tool is missing, or fails it when
 * CODEX_REQUIRE_SYSTEM_TESTS=1 (CI on a machine that must have them): the repo's one system-test
 * gate, asked once per tool.
 */
export function requireTool(ctx: TestContext, command: string, installHint: string): void {
  let gate = gates.get(command);
  if (gate === undefined) {
    gate = systemTestGate(command, () =>
      hasTool(command)
        ? { available: true }
        : { available: false, missing: `${command} on PATH`, install: installHint },
    );
    gates.set(command, gate);
  }
  if (gate.available) return;
  if (gate.skip) ctx.skip(gate.reason);
  gate.check();
}

/** A process holding a lock until {@link Holder.release} closes its stdin. */
export interface Holder {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves once the holder printed "locked". */
  readonly locked: Promise<void>;
  /** Closes stdin and waits for the exit; resolves to the exit code. */
  release(): Promise<number | null>;
  /** Resolves to the exit code and signal when the process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `command args`, which must print "locked" once it holds the lock. */
export function startHolder(command: string, args: readonly string[]): Holder {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("locked")) resolve();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`${command} exited (${code ?? signal}) before locking: ${err.trim()}`)),
    );
  });
  locked.catch(() => undefined);
  return {
    child,
    locked,
    exited,
    async release() {
      child.stdin.end();
      return (await exited).code;
    },
  };
}

/** util-linux flock(1) holding an exclusive flock on `path`. */
export function flockCliHolder(path: string): Holder {
  return startHolder(toolPath("flock"), ["-x", path, "sh", "-c", "echo locked; cat >/dev/null"]);
}

const PYTHON_HOLD = `
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
if sys.argv[2] == "flock":
    fcntl.flock(fd, fcntl.LOCK_EX)
else:
    fcntl.lockf(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
`;

/** Python holding `fcntl.flock` (BSD flock) or `fcntl.lockf` (a POSIX record lock) on `path`. */
export function pythonHolder(path: string, kind: "flock" | "lockf"): Holder {
  return startHolder(toolPath("python3"), ["-c", PYTHON_HOLD, path, kind]);
}

const PYTHON_PROBE = `
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    sys.exit(1)
sys.exit(0)
`;

/** One non-blocking exclusive try by another program: "free" or "busy". */
export function probe(tool: "flock" | "python3", path: string): "free" | "busy" {
  const result =
    tool === "flock"
      ? spawnSync(toolPath("flock"), ["-n", "-x", path, "true"])
      : spawnSync(toolPath("python3"), ["-c", PYTHON_PROBE, path]);
  if (result.status === 0) return "free";
  if (result.status === 1) return "busy";
  throw new Error(`${tool} probe failed: ${result.error ?? result.stderr.toString()}`);
}

// Global setup: builds the programs the tests start as child processes, so each starts with plain
// `node` (about 0.05 s) instead of `node --import tsx` (0.2-0.25 s):
// - the test workers (test/support/*-worker.ts, write-loop.ts) into test/.workers (gitignored),
//   incrementally, with test/tsconfig.workers.json;
// - login's own build when dist/internal/keyring-worker.js is missing or older than its source:
//   src/internal/keyring-process.ts, imported from source by the tests, starts that compiled
//   worker (see the comment there), and a stale one must never be what the tests exercise.
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function tsc(project: string): void {
  const bin = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [bin, "-p", join(root, project)], { cwd: root, stdio: "inherit" });
}

export function setup(): void {
  tsc("test/tsconfig.workers.json");
  const built = mtime(join(root, "dist", "internal", "keyring-worker.js"));
  const source = mtime(join(root, "src", "internal", "keyring-worker.ts"));
  if (built === undefined || (source !== undefined && source > built)) {
    tsc("tsconfig.build.json");
  }
}

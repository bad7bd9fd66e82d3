// Where the compiled child-process workers are. support/build-workers.global.ts compiles
// test/support/*-worker.ts and write-loop.ts, with the sources they import (tsconfig.workers.json), into test/.workers before the
// run, so tests start them with plain `node` (process.execPath), without a TypeScript loader.
import { join } from "node:path";

const WORKERS_DIR = join(import.meta.dirname, "..", ".workers", "test", "support");

/** Absolute path of the compiled worker `test/support/<name>.ts`. */
export function workerPath(name: "refresh-worker" | "write-loop" | "flock-worker"): string {
  return join(WORKERS_DIR, `${name}.js`);
}

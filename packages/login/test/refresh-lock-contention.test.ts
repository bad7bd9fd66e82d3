import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeCodexHome } from "./support/tmp.js";
import { workerPath } from "./support/workers.js";

const worker = workerPath("lock-contention-worker");

function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

function runWorker(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, ...args]);
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("refresh lock under contention (real processes)", () => {
  it("never lets two processes hold the lock, while six contenders keep breaking stale locks", async () => {
    const home = makeCodexHome();
    const lockPath = join(home, "auth.json.lock");
    const markerPath = join(home, "holder");
    const args = [lockPath, markerPath, "40", String(deadPid())];
    const results = await Promise.all(Array.from({ length: 6 }, () => runWorker(args)));
    for (const result of results) {
      expect(result.out).toBe("");
      expect(result.code).toBe(0);
    }
    expect(existsSync(markerPath)).toBe(false);
  }, 120_000);
});

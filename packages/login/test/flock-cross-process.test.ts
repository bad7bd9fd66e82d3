// Real processes contending for the credential flocks: our lock code compiled to plain JavaScript
// (test/.workers, built before the run) and run with plain `node`, against this process, each
// other, util-linux flock(1) and Python's fcntl.flock.
import { spawn } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isLoginError } from "../src/errors.js";
import { withAuthCommitLocks, withAuthLock } from "../src/internal/auth-locks.js";
import { lockFile, tryLockFile } from "../src/internal/flock.js";
import {
  type Holder,
  probe,
  pythonHolder,
  requireTool,
  startHolder,
} from "./support/lock-holders.js";
import { makeCodexHome } from "./support/tmp.js";
import { workerPath } from "./support/workers.js";

const worker = workerPath("flock-worker");

/** Runs the worker to completion: its stdout and exit code. */
function runWorker(args: readonly string[]): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("close", (code) => resolve({ out, code }));
  });
}

/** A worker process holding a lock until released. */
function nodeHolder(command: "hold" | "auth-hold", path: string): Holder {
  return startHolder(process.execPath, [worker, command, path]);
}

describe("flock across Node processes (plain node workers)", () => {
  it("a lock held by one process excludes another process and this one, until released", async () => {
    const path = join(makeCodexHome(), "auth.lock");
    const holder = nodeHolder("hold", path);
    await holder.locked;
    expect(await runWorker(["try", path])).toEqual({ out: "busy\n", code: 0 });
    expect(await runWorker(["wait", path, "60"])).toEqual({ out: "lock_timeout\n", code: 0 });
    expect(await tryLockFile(path)).toBeUndefined();
    expect(await holder.release()).toBe(0);
    expect(await runWorker(["try", path])).toEqual({ out: "acquired\n", code: 0 });
  });

  it("a lock held here excludes a worker process, which takes it once released", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    const lock = await lockFile(path, { timeoutMs: 0 });
    expect(await runWorker(["try", path])).toEqual({ out: "busy\n", code: 0 });
    const waiting = runWorker(["wait", path, "30000"]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await lock.release();
    expect(await waiting).toEqual({ out: "acquired\n", code: 0 });
  });

  it("never lets two of four contending processes hold the lock at once", async () => {
    const home = makeCodexHome();
    const path = join(home, "auth.lock");
    writeFileSync(path, "keep me");
    const marker = join(home, "holder");
    const results = await Promise.all(
      Array.from({ length: 4 }, () => runWorker(["contend", path, marker, "40"])),
    );
    for (const result of results) expect(result).toEqual({ out: "", code: 0 });
    expect(existsSync(marker)).toBe(false);
    expect(statSync(path).size).toBe(7); // the lock file was never truncated
  }, 120_000);

  it("a holder killed with SIGKILL releases the lock", async () => {
    const path = join(makeCodexHome(), "auth.lock");
    const holder = nodeHolder("hold", path);
    await holder.locked;
    expect(await tryLockFile(path)).toBeUndefined();
    holder.child.kill("SIGKILL");
    expect((await holder.exited).signal).toBe("SIGKILL");
    const lock = await lockFile(path, { timeoutMs: 5_000 });
    expect(lock.held).toBe(true);
    await lock.release();
    expect(existsSync(path)).toBe(true);
  });

  it("the commit-lock sequence of one process makes another wait, and the bound is reported", async () => {
    const home = makeCodexHome();
    const holder = nodeHolder("auth-hold", home);
    await holder.locked;
    const waits: string[] = [];
    const err = await withAuthLock(
      { codexHome: home, authLockTimeoutMs: 100, onWait: (e) => waits.push(e.lock) },
      async () => "ran",
    ).catch((e: unknown) => e);
    expect(isLoginError(err, "lock_timeout")).toBe(true);
    expect(waits).toEqual(["auth.lock"]);
    const ran = withAuthCommitLocks({ codexHome: home }, async () => "ran");
    expect(await holder.release()).toBe(0);
    expect(await ran).toBe("ran");
  });

  it("our sequence holds both locks as seen by Python's fcntl.flock, and an upstream-style holder of auth.json.lock makes our commit wait", async (ctx) => {
    requireTool(ctx, "python3", "sudo apt-get install python3");
    const home = makeCodexHome();
    const holder = nodeHolder("auth-hold", home);
    await holder.locked;
    expect(probe("python3", join(home, "auth.lock"))).toBe("busy");
    expect(probe("python3", join(home, "auth.json.lock"))).toBe("busy");
    expect(await holder.release()).toBe(0);
    expect(probe("python3", join(home, "auth.lock"))).toBe("free");
    expect(probe("python3", join(home, "auth.json.lock"))).toBe("free");

    // Upstream mid-commit holds auth.json.lock (after auth.lock): our commit waits, then runs.
    const upstream = pythonHolder(join(home, "auth.json.lock"), "flock");
    await upstream.locked;
    const waits: string[] = [];
    const committing = withAuthLock(
      { codexHome: home, onWait: (e) => waits.push(e.lock) },
      (scope) => scope.commit(async () => "committed"),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await upstream.release()).toBe(0);
    expect(await committing).toBe("committed");
    expect(waits).toEqual(["auth.json.lock"]);
  });
});

import { spawn } from "node:child_process";
import { existsSync, lstatSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  flockCliHolder,
  probe,
  pythonHolder,
  requireTool,
} from "../../test/support/lock-holders.js";
import { makeCodexHome } from "../../test/support/tmp.js";
import { isLoginError, type LoginError } from "../errors.js";
import {
  type FfiModule,
  type FlockBackend,
  flockLibraryCandidates,
  LOCK_POLL_INTERVAL_MS,
  loadFlockBackend,
  lockFile,
  tryLockFile,
  withFileLock,
} from "./flock.js";

async function expectLoginError(promise: Promise<unknown>, code: string): Promise<LoginError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isLoginError(err)).toBe(true);
  expect((err as LoginError).code).toBe(code);
  return err as LoginError;
}

/** A backend that answers every try with `errno` (named `name`). */
function failingBackend(errno: number, name: string): FlockBackend {
  return {
    description: "a fake flock",
    tryExclusive: () => errno,
    errnoWouldBlock: 11,
    errnoInterrupted: 4,
    errnoName: (e) => (e === errno ? name : `errno ${e}`),
  };
}

describe("loadFlockBackend", () => {
  it("loads the real flock(2) of this platform, once", async () => {
    const backend = await loadFlockBackend();
    expect(backend.description).toMatch(/^flock\(2\) in .+ through koffi$/);
    expect(await loadFlockBackend()).toBe(backend);
  });

  it("names the libraries per platform and none elsewhere", () => {
    expect(flockLibraryCandidates("linux")).toEqual(["libc.so.6", null]);
    expect(flockLibraryCandidates("darwin")).toEqual(["/usr/lib/libSystem.B.dylib"]);
    expect(flockLibraryCandidates("win32")).toEqual([]);
    expect(flockLibraryCandidates("freebsd")).toEqual([]);
  });

  it.each(["win32", "freebsd", "aix"] as const)(
    "fails with lock_unsupported on %s",
    async (platform) => {
      const err = await expectLoginError(loadFlockBackend({ platform }), "lock_unsupported");
      expect(err.message).toContain(platform);
      expect(err.message).toContain("Linux and macOS");
    },
  );

  it("fails with lock_unsupported, naming the FFI module, when it does not load", async () => {
    const cause = new Error("Cannot find the native Koffi module");
    const err = await expectLoginError(
      loadFlockBackend({ platform: "linux", importFfi: () => Promise.reject(cause) }),
      "lock_unsupported",
    );
    expect(err.message).toContain("koffi");
    expect(err.cause).toBe(cause);
  });

  it("fails with lock_unsupported when no C library exports flock", async () => {
    const ffi: FfiModule = {
      load: () => {
        throw new Error("dlopen failed");
      },
      errno: () => 0,
      os: { errno: { EWOULDBLOCK: 11, EINTR: 4 } },
    };
    const err = await expectLoginError(
      loadFlockBackend({ platform: "darwin", importFfi: () => Promise.resolve(ffi) }),
      "lock_unsupported",
    );
    expect(err.message).toContain("/usr/lib/libSystem.B.dylib");
  });

  it("tries the next library when the first one fails", async () => {
    const tried: (string | null)[] = [];
    const ffi: FfiModule = {
      load: (path) => {
        tried.push(path);
        if (path !== null) throw new Error("not here");
        return { func: () => () => 0 };
      },
      errno: () => 0,
      os: { errno: { EAGAIN: 11, EINTR: 4 } },
    };
    const backend = await loadFlockBackend({
      platform: "linux",
      importFfi: () => Promise.resolve(ffi),
    });
    expect(tried).toEqual(["libc.so.6", null]);
    expect(backend.errnoWouldBlock).toBe(11);
    expect(backend.tryExclusive(3)).toBe(0);
  });
});

describe("lockFile / tryLockFile", () => {
  it("creates a missing lock file with mode 0600 and keeps it after release", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    const lock = await lockFile(path, { timeoutMs: 0 });
    expect(lock.held).toBe(true);
    expect(lock.path).toBe(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await lock.release();
    expect(lock.held).toBe(false);
    await lock.release(); // a second release does nothing
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).size).toBe(0);
  });

  it("never truncates, writes, re-creates or re-modes an existing lock file", async () => {
    const path = join(makeCodexHome(), "auth.lock");
    writeFileSync(path, "bytes someone else put here\n", { mode: 0o644 });
    const before = statSync(path);
    for (let i = 0; i < 20; i++) {
      const lock = await lockFile(path, { timeoutMs: 1_000 });
      await lock.release();
    }
    const after = statSync(path);
    expect(readFileSync(path, "utf8")).toBe("bytes someone else put here\n");
    expect(after.ino).toBe(before.ino);
    expect(after.mode).toBe(before.mode);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it("excludes a second open file description in the same process until released", async () => {
    const path = join(makeCodexHome(), "auth.lock");
    const first = await lockFile(path, { timeoutMs: 0 });
    expect(await tryLockFile(path)).toBeUndefined();
    await first.release();
    const second = await tryLockFile(path);
    expect(second?.held).toBe(true);
    await second?.release();
  });

  it("times out with lock_timeout after polling, and reports the wait once", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    const holder = await lockFile(path, { timeoutMs: 0 });
    let waits = 0;
    let clock = 0;
    const sleeps: number[] = [];
    const err = await expectLoginError(
      lockFile(path, {
        timeoutMs: 35,
        onWait: () => waits++,
        now: () => clock,
        sleep: async (ms) => {
          sleeps.push(ms);
          clock += ms;
        },
      }),
      "lock_timeout",
    );
    expect(err.message).toContain(path);
    expect(err.message).toContain("35 ms");
    expect(waits).toBe(1);
    expect(sleeps).toEqual([
      LOCK_POLL_INTERVAL_MS,
      LOCK_POLL_INTERVAL_MS,
      LOCK_POLL_INTERVAL_MS,
      5,
    ]);
    await holder.release();
    // the waiter's descriptor was closed: nothing of it is left holding the file
    const again = await tryLockFile(path);
    expect(again).toBeDefined();
    await again?.release();
  });

  it("takes the lock as soon as the holder releases while it polls", async () => {
    const path = join(makeCodexHome(), "auth.lock");
    const holder = await lockFile(path, { timeoutMs: 0 });
    let waited = false;
    const waiting = lockFile(path, {
      timeoutMs: 10_000,
      pollMs: 2,
      onWait: () => {
        waited = true;
        void holder.release();
      },
    });
    const lock = await waiting;
    expect(waited).toBe(true);
    expect(lock.held).toBe(true);
    await lock.release();
  });

  it("stops waiting with lock_aborted when the signal aborts", async () => {
    const path = join(makeCodexHome(), "auth.lock");
    const holder = await lockFile(path, { timeoutMs: 0 });
    const controller = new AbortController();
    const reason = new Error("user pressed Ctrl-C");
    const waiting = lockFile(path, {
      timeoutMs: Number.POSITIVE_INFINITY,
      signal: controller.signal,
      onWait: () => controller.abort(reason),
    });
    const err = await expectLoginError(waiting, "lock_aborted");
    expect(err.cause).toBe(reason);
    await holder.release();
  });

  it("checks the signal before every try, also with a sleep that ignores it", async () => {
    const path = join(makeCodexHome(), "auth.lock");
    const holder = await lockFile(path, { timeoutMs: 0 });
    const controller = new AbortController();
    let sleeps = 0;
    const waiting = lockFile(path, {
      timeoutMs: Number.POSITIVE_INFINITY,
      signal: controller.signal,
      sleep: async () => {
        sleeps++;
        await holder.release(); // the lock is free now, but the caller gave up first
        controller.abort();
      },
    });
    await expectLoginError(waiting, "lock_aborted");
    expect(sleeps).toBe(1);
  });

  it("with an already aborted signal fails before creating the lock file", async () => {
    const path = join(makeCodexHome(), "never.lock");
    await expectLoginError(
      lockFile(path, { timeoutMs: 1_000, signal: AbortSignal.abort() }),
      "lock_aborted",
    );
    expect(existsSync(path)).toBe(false);
  });

  it("never blocks the event loop while another process holds the lock", async (ctx) => {
    requireTool(ctx, "flock", "sudo apt-get install util-linux");
    const path = join(makeCodexHome(), "auth.lock");
    const holder = flockCliHolder(path);
    await holder.locked;
    let settled = false;
    const waiting = lockFile(path, { timeoutMs: Number.POSITIVE_INFINITY }).finally(() => {
      settled = true;
    });
    // Timers still fire while we wait: a blocking flock would hold this await until the release.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    expect(await holder.release()).toBe(0);
    const lock = await waiting;
    expect(lock.held).toBe(true);
    await lock.release();
  });

  it("does not leak the held lock into a spawned child (O_CLOEXEC)", async (ctx) => {
    requireTool(ctx, "flock", "sudo apt-get install util-linux");
    const path = join(makeCodexHome(), "auth.lock");
    const lock = await lockFile(path, { timeoutMs: 0 });
    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      expect(probe("flock", path)).toBe("busy");
      await lock.release();
      expect(probe("flock", path)).toBe("free"); // the live child holds nothing
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("withFileLock releases after the callback, also when it throws", async () => {
    const path = join(makeCodexHome(), "auth.lock");
    expect(await withFileLock(path, { timeoutMs: 0 }, async () => "done")).toBe("done");
    const boom = new Error("boom");
    await expect(
      withFileLock(path, { timeoutMs: 0 }, async () => {
        expect(await tryLockFile(path)).toBeUndefined();
        throw boom;
      }),
    ).rejects.toBe(boom);
    const after = await tryLockFile(path);
    expect(after).toBeDefined();
    await after?.release();
  });

  it.each([
    ["an empty path", "", { timeoutMs: 0 }],
    ["a path with NUL", "a\0b", { timeoutMs: 0 }],
    ["a negative timeout", "x.lock", { timeoutMs: -1 }],
    ["a NaN timeout", "x.lock", { timeoutMs: Number.NaN }],
    ["a zero poll interval", "x.lock", { timeoutMs: 0, pollMs: 0 }],
    ["an infinite poll interval", "x.lock", { timeoutMs: 0, pollMs: Number.POSITIVE_INFINITY }],
    ["a bad file mode", "x.lock", { timeoutMs: 0, fileMode: 0o1777 }],
  ] as const)(
    "rejects %s with invalid_argument and creates nothing",
    async (_name, file, options) => {
      const home = makeCodexHome();
      const path = file === "" ? "" : join(home, file);
      await expectLoginError(lockFile(path, options), "invalid_argument");
      if (path !== "" && !path.includes("\0")) expect(existsSync(path)).toBe(false);
    },
  );

  it("fails with lock_failed when the lock file's folder is missing", async () => {
    const path = join(makeCodexHome(), "missing", "auth.lock");
    const err = await expectLoginError(lockFile(path, { timeoutMs: 0 }), "lock_failed");
    expect(err.message).toContain("folder does not exist");
  });

  it("fails with lock_failed when the lock path is a folder", async () => {
    const home = makeCodexHome();
    await expectLoginError(lockFile(home, { timeoutMs: 0 }), "lock_failed");
    expect(lstatSync(home).isDirectory()).toBe(true);
  });

  it("maps a file system without flock to lock_unsupported and other errors to lock_failed", async () => {
    const path = join(makeCodexHome(), "auth.lock");
    const unsupported = await expectLoginError(
      lockFile(path, { timeoutMs: 0, backend: failingBackend(37, "ENOLCK") }),
      "lock_unsupported",
    );
    expect(unsupported.message).toContain("ENOLCK");
    const failed = await expectLoginError(
      lockFile(path, { timeoutMs: 0, backend: failingBackend(9, "EBADF") }),
      "lock_failed",
    );
    expect(failed.message).toContain("EBADF");
    // neither failure left a descriptor holding the file
    const lock = await tryLockFile(path);
    expect(lock).toBeDefined();
    await lock?.release();
  });

  it("retries an interrupted try (EINTR) before counting the lock as held", async () => {
    const path = join(makeCodexHome(), "auth.lock");
    const answers = [4, 4, 0];
    const backend: FlockBackend = {
      ...failingBackend(4, "EINTR"),
      tryExclusive: () => answers.shift() ?? 11,
    };
    const lock = await lockFile(path, { timeoutMs: 0, backend });
    expect(answers).toEqual([]);
    await lock.release();
  });
});

describe("interoperates with other flock(2) users", () => {
  it("a util-linux flock(1) holder blocks us, and our lock blocks flock(1)", async (ctx) => {
    requireTool(ctx, "flock", "sudo apt-get install util-linux");
    const path = join(makeCodexHome(), "auth.lock");
    const holder = flockCliHolder(path);
    await holder.locked;
    expect(await tryLockFile(path)).toBeUndefined();
    await expectLoginError(lockFile(path, { timeoutMs: 50 }), "lock_timeout");
    expect(await holder.release()).toBe(0);

    const ours = await lockFile(path, { timeoutMs: 1_000 });
    expect(probe("flock", path)).toBe("busy");
    await ours.release();
    expect(probe("flock", path)).toBe("free");
  });

  it("a Python fcntl.flock holder blocks us, and our lock blocks Python", async (ctx) => {
    requireTool(ctx, "python3", "sudo apt-get install python3");
    const path = join(makeCodexHome(), "auth.json.lock");
    const holder = pythonHolder(path, "flock");
    await holder.locked;
    expect(await tryLockFile(path)).toBeUndefined();
    expect(await holder.release()).toBe(0);

    const ours = await lockFile(path, { timeoutMs: 1_000 });
    expect(probe("python3", path)).toBe("busy");
    await ours.release();
    expect(probe("python3", path)).toBe("free");
  });

  it("is flock, not a POSIX record lock: a Python lockf holder does not block us (as with upstream)", async (ctx) => {
    requireTool(ctx, "python3", "sudo apt-get install python3");
    const path = join(makeCodexHome(), "auth.lock");
    const holder = pythonHolder(path, "lockf");
    await holder.locked;
    const lock = await tryLockFile(path);
    expect(lock).toBeDefined();
    await lock?.release();
    expect(await holder.release()).toBe(0);
  });

  it("a holder killed with SIGKILL releases the lock", async (ctx) => {
    requireTool(ctx, "python3", "sudo apt-get install python3");
    const path = join(makeCodexHome(), "auth.lock");
    const holder = pythonHolder(path, "flock");
    await holder.locked;
    expect(await tryLockFile(path)).toBeUndefined();
    holder.child.kill("SIGKILL");
    expect((await holder.exited).signal).toBe("SIGKILL");
    const lock = await lockFile(path, { timeoutMs: 5_000 });
    expect(lock.held).toBe(true);
    await lock.release();
  });
});

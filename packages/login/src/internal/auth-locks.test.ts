import {
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { captureLogger } from "@codex/wire/testing";
import { describe, expect, it } from "vitest";
import { probe, pythonHolder, requireTool } from "../../test/support/lock-holders.js";
import { makeCodexHome } from "../../test/support/tmp.js";
import { isLoginError, type LoginError } from "../errors.js";
import {
  type AuthLockWaitEvent,
  COMMIT_LOCK_TIMEOUT_MS,
  resolveAuthCommitTarget,
  withAuthCommitLocks,
  withAuthLock,
} from "./auth-locks.js";
import { type FlockBackend, loadFlockBackend, lockFile, tryLockFile } from "./flock.js";

async function expectLoginError(promise: Promise<unknown>, code: string): Promise<LoginError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isLoginError(err)).toBe(true);
  expect((err as LoginError).code).toBe(code);
  return err as LoginError;
}

/** Whether another open file description of this process could take the lock right now. */
async function isFree(path: string): Promise<boolean> {
  const lock = await tryLockFile(path);
  await lock?.release();
  return lock !== undefined;
}

/** The real backend, recording the path of each lock it takes (Linux: /proc/self/fd). */
async function recordingBackend(): Promise<{ backend: FlockBackend; taken: string[] }> {
  const real = await loadFlockBackend();
  const taken: string[] = [];
  return {
    taken,
    backend: {
      ...real,
      tryExclusive(fd) {
        const errno = real.tryExclusive(fd);
        if (errno === 0) taken.push(readlinkSync(`/proc/self/fd/${fd}`));
        return errno;
      },
    },
  };
}

describe("withAuthLock", () => {
  it("takes auth.lock for the scope and auth.json.lock only inside commit(), releasing inner first", async () => {
    const home = makeCodexHome();
    const authLock = join(home, "auth.lock");
    const commitLock = join(home, "auth.json.lock");
    const { backend, taken } = await recordingBackend();
    const result = await withAuthLock({ codexHome: home, backend }, async (scope) => {
      expect(scope.authLockPath).toBe(authLock);
      expect(scope.authFile).toBe(join(home, "auth.json"));
      expect(await isFree(authLock)).toBe(false);
      expect(existsSync(commitLock)).toBe(false); // not even created before the commit
      const inner = await scope.commit(async (target) => {
        expect(target).toEqual({
          authFile: join(home, "auth.json"),
          target: join(home, "auth.json"),
          commitLockPath: commitLock,
        });
        expect(await isFree(authLock)).toBe(false);
        expect(await isFree(commitLock)).toBe(false);
        return "written";
      });
      expect(await isFree(commitLock)).toBe(true); // released when commit() returned
      expect(await isFree(authLock)).toBe(false); // the outer scope still holds auth.lock
      return inner;
    });
    expect(result).toBe("written");
    expect(taken.slice(0, 2)).toEqual([authLock, commitLock]);
    expect(await isFree(authLock)).toBe(true);
    expect(await isFree(commitLock)).toBe(true);
    // both files stay, empty, never deleted
    expect(statSync(authLock).size).toBe(0);
    expect(statSync(commitLock).size).toBe(0);
  });

  it("creates a missing CODEX_HOME (0700) as upstream does", async () => {
    const home = join(makeCodexHome(), "nested", "home");
    await withAuthCommitLocks({ codexHome: home }, async () => undefined);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(existsSync(join(home, "auth.lock"))).toBe(true);
    expect(existsSync(join(home, "auth.json.lock"))).toBe(true);
  });

  it("leaves upstream's existing lock files byte for byte, with their modes", async () => {
    const home = makeCodexHome();
    writeFileSync(join(home, "auth.lock"), "", { mode: 0o644 });
    writeFileSync(join(home, "auth.json.lock"), "x", { mode: 0o600 });
    const before = [statSync(join(home, "auth.lock")), statSync(join(home, "auth.json.lock"))];
    await withAuthCommitLocks({ codexHome: home }, async () => undefined);
    const after = [statSync(join(home, "auth.lock")), statSync(join(home, "auth.json.lock"))];
    expect(after.map((s) => [s.ino, s.mode, s.size])).toEqual(
      before.map((s) => [s.ino, s.mode, s.size]),
    );
    expect(readFileSync(join(home, "auth.json.lock"), "utf8")).toBe("x");
  });

  it("releases both locks when the callback throws, and passes the error through", async () => {
    const home = makeCodexHome();
    const boom = new Error("write failed");
    await expect(
      withAuthLock({ codexHome: home }, (scope) =>
        scope.commit(async () => {
          throw boom;
        }),
      ),
    ).rejects.toBe(boom);
    expect(await isFree(join(home, "auth.lock"))).toBe(true);
    expect(await isFree(join(home, "auth.json.lock"))).toBe(true);
  });

  it("waits for auth.lock held elsewhere, reports the wait, then runs", async () => {
    const home = makeCodexHome();
    const holder = await lockFile(join(home, "auth.lock"), { timeoutMs: 0 });
    const events: AuthLockWaitEvent[] = [];
    const { logger, records } = captureLogger();
    const ran = await withAuthLock(
      {
        codexHome: home,
        logger,
        onWait: (event) => {
          events.push(event);
          void holder.release();
        },
      },
      async () => "ran",
    );
    expect(ran).toBe("ran");
    expect(events).toEqual([{ lock: "auth.lock", path: join(home, "auth.lock") }]);
    expect(records.map((r) => [r.level, r.fields.lock])).toEqual([["debug", "auth.lock"]]);
  });

  it("gives up on auth.lock after its bound with lock_timeout and never runs the callback", async () => {
    const home = makeCodexHome();
    const holder = await lockFile(join(home, "auth.lock"), { timeoutMs: 0 });
    let ran = false;
    const err = await expectLoginError(
      withAuthLock({ codexHome: home, authLockTimeoutMs: 40 }, async () => {
        ran = true;
      }),
      "lock_timeout",
    );
    expect(ran).toBe(false);
    expect(err.message).toContain(join(home, "auth.lock"));
    expect(err.message).toContain("40 ms");
    expect(existsSync(join(home, "auth.json.lock"))).toBe(false);
    await holder.release();
  });

  it("times out on auth.json.lock like upstream (credential commit lock timed out) and frees auth.lock", async () => {
    expect(COMMIT_LOCK_TIMEOUT_MS).toBe(5_000);
    const home = makeCodexHome();
    const holder = await lockFile(join(home, "auth.json.lock"), { timeoutMs: 0 });
    const events: AuthLockWaitEvent[] = [];
    let wrote = false;
    const err = await expectLoginError(
      withAuthLock(
        { codexHome: home, commitLockTimeoutMs: 30, onWait: (e) => events.push(e) },
        (scope) =>
          scope.commit(async () => {
            wrote = true;
          }),
      ),
      "lock_timeout",
    );
    expect(wrote).toBe(false);
    expect(err.message).toMatch(/^Credential commit lock timed out/);
    expect(events.map((e) => e.lock)).toEqual(["auth.json.lock"]);
    expect(await isFree(join(home, "auth.lock"))).toBe(true);
    await holder.release();
  });

  it("stops waiting with lock_aborted when the signal aborts", async () => {
    const home = makeCodexHome();
    const holder = await lockFile(join(home, "auth.lock"), { timeoutMs: 0 });
    const controller = new AbortController();
    await expectLoginError(
      withAuthLock(
        { codexHome: home, signal: controller.signal, onWait: () => controller.abort() },
        async () => 1,
      ),
      "lock_aborted",
    );
    await holder.release();
  });

  it("refuses a nested take of the same auth.lock instead of waiting on itself", async () => {
    const home = makeCodexHome();
    const other = makeCodexHome();
    await withAuthLock({ codexHome: home }, async () => {
      await expectLoginError(
        withAuthLock({ codexHome: home }, async () => 1),
        "invalid_argument",
      );
      // another home is another lock
      expect(await withAuthLock({ codexHome: other }, async () => 2)).toBe(2);
    });
    // once the scope ended, the same call chain may take it again
    expect(await withAuthLock({ codexHome: home }, async () => 3)).toBe(3);
  });

  it("refuses commit() inside commit() and after the scope ended", async () => {
    const home = makeCodexHome();
    let escaped: ((fn: () => Promise<void>) => Promise<void>) | undefined;
    await withAuthLock({ codexHome: home }, async (scope) => {
      escaped = (fn) => scope.commit(fn);
      await scope.commit(async () => {
        await expectLoginError(
          scope.commit(async () => undefined),
          "invalid_argument",
        );
      });
    });
    await expectLoginError(
      escaped?.(async () => undefined) ?? Promise.resolve(),
      "invalid_argument",
    );
  });

  it("lets concurrent scopes of one process take turns on the same home", async () => {
    const home = makeCodexHome();
    let inside = 0;
    let overlap = false;
    await Promise.all(
      Array.from({ length: 4 }, () =>
        withAuthCommitLocks({ codexHome: home, pollMs: 1 }, async () => {
          inside++;
          if (inside > 1) overlap = true;
          await new Promise((resolve) => setTimeout(resolve, 5));
          inside--;
        }),
      ),
    );
    expect(overlap).toBe(false);
  });

  it("warns when auth.json.lock was held longer than a second, and only then", async () => {
    const home = makeCodexHome();
    let clock = 0;
    const { logger, records } = captureLogger();
    await withAuthLock({ codexHome: home, logger, now: () => clock }, async (scope) => {
      await scope.commit(async () => {
        clock += 200;
      });
      expect(records).toEqual([]);
      await scope.commit(async () => {
        clock += 1_500;
      });
    });
    expect(records.map((r) => [r.level, r.fields])).toEqual([
      ["warn", { path: join(home, "auth.json.lock"), heldMs: 1_500 }],
    ]);
  });

  it.each([
    ["an empty CODEX_HOME", ""],
    ["a CODEX_HOME with NUL", "a\0b"],
  ])("rejects %s with invalid_codex_home", async (_name, codexHome) => {
    await expectLoginError(
      withAuthLock({ codexHome }, async () => 1),
      "invalid_codex_home",
    );
  });

  it("fails with invalid_codex_home when CODEX_HOME is a file", async () => {
    const file = join(makeCodexHome(), "not-a-folder");
    writeFileSync(file, "");
    await expectLoginError(
      withAuthLock({ codexHome: file }, async () => 1),
      "invalid_codex_home",
    );
  });
});

describe("symlinked auth.json", () => {
  it("puts the commit lock beside the symlink target, auth.lock stays in CODEX_HOME", async () => {
    const root = makeCodexHome();
    const home = join(root, "home");
    mkdirSync(join(root, "other"));
    mkdirSync(home);
    writeFileSync(join(root, "other", "real.json"), "{}");
    symlinkSync("../other/real.json", join(home, "auth.json"));
    const seen = await withAuthCommitLocks({ codexHome: home }, async (target) => {
      expect(await isFree(join(root, "other", "real.json.lock"))).toBe(false);
      return target;
    });
    expect(seen).toEqual({
      authFile: join(home, "auth.json"),
      target: join(root, "other", "real.json"),
      commitLockPath: join(root, "other", "real.json.lock"),
    });
    expect(existsSync(join(home, "auth.lock"))).toBe(true);
    expect(existsSync(join(home, "auth.json.lock"))).toBe(false);
    expect(readlinkSync(join(home, "auth.json"))).toBe("../other/real.json");
  });

  it("follows a chain of links, and a dangling link to where the file will be", async () => {
    const root = makeCodexHome();
    mkdirSync(join(root, "a"));
    mkdirSync(join(root, "b"));
    symlinkSync(join(root, "a", "hop.json"), join(root, "auth.json"));
    symlinkSync("../b/final.json", join(root, "a", "hop.json"));
    expect(await resolveAuthCommitTarget(join(root, "auth.json"))).toEqual({
      authFile: join(root, "auth.json"),
      target: join(root, "b", "final.json"),
      commitLockPath: join(root, "b", "final.json.lock"),
    });
  });

  it("fails with lock_failed on a symlink loop", async () => {
    const root = makeCodexHome();
    symlinkSync(join(root, "loop-b"), join(root, "loop-a"));
    symlinkSync(join(root, "loop-a"), join(root, "loop-b"));
    const err = await expectLoginError(
      resolveAuthCommitTarget(join(root, "loop-a")),
      "lock_failed",
    );
    expect(err.message).toContain("symbolic links");
  });

  it("a Python flock on the target's lock blocks our commit, and ours blocks Python", async (ctx) => {
    requireTool(ctx, "python3", "sudo apt-get install python3");
    const root = makeCodexHome();
    const home = join(root, "home");
    mkdirSync(home);
    mkdirSync(join(root, "other"));
    symlinkSync(join(root, "other", "real.json"), join(home, "auth.json"));
    const targetLock = join(root, "other", "real.json.lock");
    const holder = pythonHolder(targetLock, "flock");
    await holder.locked;
    await expectLoginError(
      withAuthCommitLocks({ codexHome: home, commitLockTimeoutMs: 50 }, async () => 1),
      "lock_timeout",
    );
    expect(await holder.release()).toBe(0);
    await withAuthCommitLocks({ codexHome: home }, async () => {
      expect(probe("python3", targetLock)).toBe("busy");
      expect(probe("python3", join(home, "auth.lock"))).toBe("busy");
    });
    expect(probe("python3", targetLock)).toBe("free");
  });
});

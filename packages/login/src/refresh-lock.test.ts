import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectLoginError } from "../test/support/capture.js";
import { makeCodexHome } from "../test/support/tmp.js";
import { acquireRefreshLock } from "./refresh-lock.js";

function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}

describe("acquireRefreshLock", () => {
  it("creates the lock file and removes it on release", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    const lock = await acquireRefreshLock(path);
    const content = JSON.parse(readFileSync(path, "utf8"));
    expect(content.pid).toBe(process.pid);
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it("makes a second holder wait (polling) until the first releases", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    const first = await acquireRefreshLock(path);
    let acquired = false;
    let markPolled: () => void = () => undefined;
    const polled = new Promise<void>((r) => {
      markPolled = r;
    });
    const second = acquireRefreshLock(path, {
      sleep: (ms) => {
        markPolled();
        return new Promise((r) => setTimeout(r, ms));
      },
      pollMs: 1,
    }).then((l) => {
      acquired = true;
      return l;
    });
    await polled;
    expect(acquired).toBe(false);
    await first.release();
    await (await second).release();
    expect(acquired).toBe(true);
  });

  it("recovers a lock left by a dead process", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    writeFileSync(
      path,
      JSON.stringify({ pid: deadPid(), host: hostname(), acquiredAt: Date.now(), owner: "dead" }),
    );
    const lock = await acquireRefreshLock(path, { timeoutMs: 1000 });
    expect(JSON.parse(readFileSync(path, "utf8")).owner).not.toBe("dead");
    await lock.release();
  });

  it("recovers a stale lock even when a breaker died mid-break and left its breaker file", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    writeFileSync(
      path,
      JSON.stringify({ pid: deadPid(), host: hostname(), acquiredAt: Date.now(), owner: "dead" }),
    );
    const breaker = `${path}.break`;
    writeFileSync(breaker, "");
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(breaker, longAgo, longAgo);
    const lock = await acquireRefreshLock(path, { timeoutMs: 5_000, pollMs: 1 });
    expect(JSON.parse(readFileSync(path, "utf8")).owner).not.toBe("dead");
    expect(existsSync(breaker)).toBe(false);
    await lock.release();
  });

  it("waits while a live breaker is at work instead of breaking alongside it", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    writeFileSync(
      path,
      JSON.stringify({ pid: deadPid(), host: hostname(), acquiredAt: Date.now(), owner: "dead" }),
    );
    writeFileSync(`${path}.break`, "");
    let clock = 0;
    const error = await acquireRefreshLock(path, {
      timeoutMs: 100,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "refresh_lock_timeout" });
    expect(JSON.parse(readFileSync(path, "utf8")).owner).toBe("dead");
  });

  it("recovers a lock older than staleMs even if its holder looks alive", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    writeFileSync(
      path,
      JSON.stringify({ pid: process.pid, host: hostname(), acquiredAt: 1000, owner: "old" }),
    );
    // The clock moves only when the lock sleeps, so if staleness were ignored the call would
    // reach its timeout (refresh_lock_timeout) and fail instead of spinning forever.
    let clock = 1000 + 60_001;
    const lock = await acquireRefreshLock(path, {
      staleMs: 60_000,
      timeoutMs: 1_000,
      pollMs: 100,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const content = JSON.parse(readFileSync(path, "utf8"));
    // the new owner is this process, stamped with the injected clock, under a fresh owner id
    expect(content).toEqual({
      pid: process.pid,
      host: hostname(),
      acquiredAt: clock,
      owner: expect.stringMatching(/^[0-9a-f]{24}$/),
    });
    expect(content.owner).not.toBe("old");
    // release removes the file only for its own owner id: it is gone, so the lock was ours
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it("times out with refresh_lock_timeout while a live holder keeps it (injected clock)", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    const held = await acquireRefreshLock(path);
    let t = Date.now();
    const err = await expectLoginError(
      acquireRefreshLock(path, {
        timeoutMs: 5000,
        now: () => t,
        sleep: async (ms) => {
          t += ms * 100;
        },
      }),
      "refresh_lock_timeout",
    );
    expect(err.permanent).toBe(false);
    await held.release();
  });

  it("something unreadable in the lock's place (a directory) times out instead of spinning", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    mkdirSync(path);
    let t = Date.now();
    let sleeps = 0;
    const err = await expectLoginError(
      acquireRefreshLock(path, {
        timeoutMs: 1000,
        pollMs: 100,
        now: () => t,
        sleep: async (ms) => {
          sleeps++;
          t += ms;
        },
      }),
      "refresh_lock_timeout",
    );
    expect(err.message).toBe("another Codex process has held the token refresh lock for over 1s");
    expect(sleeps).toBe(10);
    expect(existsSync(path)).toBe(true);
  });

  it("a lock file that cannot be created is a typed, transient error", async () => {
    const home = makeCodexHome();
    writeFileSync(join(home, "not-a-dir"), "");
    const err = await expectLoginError(
      acquireRefreshLock(join(home, "not-a-dir", "auth.json.lock")),
      "refresh_failed",
    );
    expect(err.message).toBe("Failed to refresh token: the refresh lock file could not be created");
    expect(err.permanent).toBe(false);
  });

  it("a release by a holder whose lock was broken does not remove the new owner's lock", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    const old = await acquireRefreshLock(path);
    writeFileSync(
      path,
      JSON.stringify({ pid: process.pid, host: hostname(), acquiredAt: Date.now(), owner: "new" }),
    );
    await old.release();
    expect(JSON.parse(readFileSync(path, "utf8")).owner).toBe("new");
  });

  it("treats an empty lock file as stale only after a grace period", async () => {
    const path = join(makeCodexHome(), "auth.json.lock");
    writeFileSync(path, "");
    let t = Date.now();
    const lock = await acquireRefreshLock(path, {
      now: () => t,
      sleep: async (ms) => {
        t += ms * 100;
      },
    });
    expect(t - Date.now()).toBeGreaterThan(4000);
    await lock.release();
  });
});

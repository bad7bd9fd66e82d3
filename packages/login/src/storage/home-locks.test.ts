import { join } from "node:path";
import { captureLogger } from "@codex/wire/testing";
import { describe, expect, it } from "vitest";
import { expectLoginError } from "../../test/support/capture.js";
import { makeCodexHome } from "../../test/support/tmp.js";
import { lockFile } from "../internal/flock.js";
import type { CredentialLockWaitEvent } from "./auth-storage.js";
import { HomeLocks } from "./home-locks.js";

describe("HomeLocks", () => {
  it("rejects a bad wait bound or listener", async () => {
    const home = makeCodexHome();
    await expectLoginError(async () => new HomeLocks(home, { timeoutMs: -1 }), "invalid_argument");
    await expectLoginError(
      async () => new HomeLocks(home, { onWait: "log" as never }),
      "invalid_argument",
    );
  });

  it("a commit joins the locks its withLock scope holds; each wait is reported once per lock, a throwing listener only logged", async () => {
    const home = makeCodexHome();
    const { logger, records } = captureLogger();
    const waits: CredentialLockWaitEvent[] = [];
    const locks = new HomeLocks(
      home,
      {
        onWait: (event) => {
          waits.push(event);
          throw new Error("listener broke");
        },
      },
      logger,
    );
    const other = await lockFile(join(home, "auth.lock"), { timeoutMs: 0 });
    const order: string[] = [];
    const done = locks.withLock(async (scope) => {
      order.push("auth.lock");
      await scope.commit(async () => {
        order.push("commit");
        // a store save inside the commit joins it instead of waiting on itself
        await locks.commit(async (target) => {
          order.push(`joined ${target.commitLockPath === join(home, "auth.json.lock")}`);
        });
      });
    });
    while (waits.length === 0) await new Promise((r) => setTimeout(r, 5));
    await other.release();
    await done;
    expect(order).toEqual(["auth.lock", "commit", "joined true"]);
    expect(waits).toEqual([{ lock: "auth.lock", path: join(home, "auth.lock") }]);
    expect(records.some((r) => r.level === "warn" && r.msg.includes("listener broke"))).toBe(true);
  });
});

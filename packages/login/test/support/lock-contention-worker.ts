// One contender of the refresh-lock contention test. Each round it takes the lock, claims an
// exclusive "holder" marker (failing to claim it means two processes hold the lock at once),
// releases, and every other round plants a stale lock of a dead process so that the contenders
// keep racing to break stale locks.
import { closeSync, openSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { acquireRefreshLock } from "../../src/refresh-lock.js";

const [lockPath = "", markerPath = "", roundsText = "0", deadPidText = "0"] = process.argv.slice(2);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (let round = 0; round < Number(roundsText); round++) {
  const lock = await acquireRefreshLock(lockPath, { pollMs: 1, timeoutMs: 60_000 });
  let marker: number;
  try {
    marker = openSync(markerPath, "wx");
  } catch {
    process.stdout.write("two holders at once\n");
    process.exit(3);
  }
  await pause(Math.random() * 2);
  closeSync(marker);
  unlinkSync(markerPath);
  await lock.release();
  if (round % 2 === 0) {
    const stale = {
      pid: Number(deadPidText),
      host: hostname(),
      acquiredAt: Date.now(),
      owner: "dead",
    };
    try {
      writeFileSync(lockPath, JSON.stringify(stale), { flag: "wx" });
    } catch {
      // someone holds the lock right now: nothing to plant
    }
  }
}

// Child process of the cross-process flock tests, compiled to plain JavaScript and run with plain
// `node` (test/.workers, see support/workers.ts). Commands:
//   hold <path>                  take the flock, print "locked", hold until stdin closes
//   try <path>                   one try: print "acquired" or "busy"
//   wait <path> <timeoutMs>      poll until taken or timed out: print "acquired" or the error code
//   contend <path> <marker> <n>  n rounds of lock → claim an exclusive marker file → release;
//                                exit 3 if the marker was already claimed (two holders at once)
//   auth-hold <codexHome>        take auth.lock then auth.json.lock, print "locked", hold until
//                                stdin closes
import { closeSync, openSync, unlinkSync } from "node:fs";
import { LoginError } from "../../src/errors.js";
import { withAuthCommitLocks } from "../../src/internal/auth-locks.js";
import { lockFile, tryLockFile } from "../../src/internal/flock.js";

const [command = "", path = "", ...rest] = process.argv.slice(2);
const stdinClosed = () =>
  new Promise<void>((resolve) => {
    process.stdin.on("data", () => undefined);
    process.stdin.on("end", () => resolve());
  });

switch (command) {
  case "hold": {
    const lock = await lockFile(path, { timeoutMs: Number.POSITIVE_INFINITY });
    process.stdout.write("locked\n");
    await stdinClosed();
    await lock.release();
    break;
  }
  case "try": {
    const lock = await tryLockFile(path);
    process.stdout.write(lock ? "acquired\n" : "busy\n");
    await lock?.release();
    break;
  }
  case "wait": {
    try {
      const lock = await lockFile(path, { timeoutMs: Number(rest[0]) });
      process.stdout.write("acquired\n");
      await lock.release();
    } catch (err) {
      process.stdout.write(`${err instanceof LoginError ? err.code : String(err)}\n`);
    }
    break;
  }
  case "contend": {
    const [marker = "", rounds = "0"] = rest;
    for (let round = 0; round < Number(rounds); round++) {
      const lock = await lockFile(path, { timeoutMs: 60_000, pollMs: 1 });
      let fd: number;
      try {
        fd = openSync(marker, "wx");
      } catch {
        process.stdout.write("two holders at once\n");
        process.exit(3);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
      closeSync(fd);
      unlinkSync(marker);
      await lock.release();
    }
    break;
  }
  case "auth-hold": {
    await withAuthCommitLocks({ codexHome: path }, async () => {
      process.stdout.write("locked\n");
      await stdinClosed();
    });
    break;
  }
  default:
    process.stderr.write(`unknown command ${command}\n`);
    process.exit(2);
}

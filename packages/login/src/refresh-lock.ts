import { randomBytes } from "node:crypto";
import { link, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { LoginError } from "./errors.js";
import { ensurePrivateDir } from "./internal/atomic-write.js";
import { processAlive } from "./internal/process-alive.js";

/** Options of {@link acquireRefreshLock}. */
export interface RefreshLockOptions {
  /** A lock older than this is stale whoever holds it (default 60 s). */
  readonly staleMs?: number | undefined;
  /** Poll interval while waiting (default 25 ms). */
  readonly pollMs?: number | undefined;
  /** Give up after waiting this long (default 90 s): `refresh_lock_timeout`. */
  readonly timeoutMs?: number | undefined;
  /** Injectable sleep (default `setTimeout`). */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Injectable clock in ms (default `Date.now`). */
  readonly now?: (() => number) | undefined;
}

/** A held lock. */
export interface RefreshLock {
  /** Releases the lock (only if this holder still owns it). */
  release(): Promise<void>;
}

interface LockContent {
  readonly pid: number;
  readonly host: string;
  readonly acquiredAt: number;
  readonly owner: string;
}

const DEFAULT_STALE_MS = 60_000;
const DEFAULT_POLL_MS = 25;
const DEFAULT_TIMEOUT_MS = 90_000;
/** A lock file with no (or unreadable) content is stale after this long. */
const EMPTY_LOCK_GRACE_MS = 5_000;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function parseContent(text: string): LockContent | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockContent>;
    if (
      typeof v.pid === "number" &&
      typeof v.host === "string" &&
      typeof v.acquiredAt === "number" &&
      typeof v.owner === "string"
    ) {
      return v as LockContent;
    }
  } catch {
    // unreadable content: judged by file age below
  }
  return undefined;
}

async function tryCreate(path: string, content: LockContent): Promise<boolean> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    await fh.writeFile(JSON.stringify(content));
  } catch (err) {
    // a half-written lock would block everyone until its grace period: take it back
    await fh.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw err;
  }
  await fh.close();
  return true;
}

/** Is the lock at `path` (read as `text`, modified at `mtimeMs`) stale? */
function isStale(text: string, mtimeMs: number, now: number, staleMs: number): boolean {
  const content = parseContent(text);
  if (!content) return now - mtimeMs > EMPTY_LOCK_GRACE_MS;
  if (now - content.acquiredAt > staleMs) return true;
  return content.host === hostname() && !processAlive(content.pid);
}

/** A breaker lock older than this was left by a process that died mid-break. */
const ABANDONED_BREAKER_MS = 5_000;

/**
 * Removes the stale lock judged from `judged`, without removing a fresh one. Breakers take turns
 * through a second O_EXCL file (`<lock>.break`), and the one whose turn it is re-reads the lock
 * before moving it: when two contenders judge the same stale lock, the second finds it already
 * replaced and leaves the new holder's lock alone. (Unserialized, the second would move the fresh
 * lock aside, and two processes would hold it; the contention test shows that.)
 *
 * Returns false when another process is breaking right now: the caller waits before judging again.
 */
async function breakStaleLock(path: string, judged: string): Promise<boolean> {
  const breaker = `${path}.break`;
  try {
    await (await open(breaker, "wx", 0o600)).close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") await removeAbandonedBreaker(breaker);
    return false;
  }
  try {
    const current = await readFile(path, "utf8").catch(() => undefined);
    if (current !== judged) return true; // released, broken or replaced meanwhile: judge anew
    const aside = `${path}.stale.${randomBytes(6).toString("hex")}`;
    await rename(path, aside);
    try {
      // Only a stale holder that was still alive could have swapped the file between the read and
      // the rename; put what was moved back in that case.
      if ((await readFile(aside, "utf8")) !== judged)
        await link(aside, path).catch(() => undefined);
    } finally {
      await unlink(aside).catch(() => undefined);
    }
    return true;
  } catch {
    return true; // the lock vanished under us: judge anew
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

async function removeAbandonedBreaker(breaker: string): Promise<void> {
  const info = await stat(breaker).catch(() => undefined);
  if (info !== undefined && Date.now() - info.mtimeMs > ABANDONED_BREAKER_MS) {
    await unlink(breaker).catch(() => undefined);
  }
}

/**
 * Takes the advisory cross-process refresh lock (a file created with `O_EXCL` next to auth.json).
 * Waits while another live process holds it; recovers stale locks (dead holder on this host, or
 * older than `staleMs`).
 *
 * @throws {LoginError} code `refresh_lock_timeout` after `timeoutMs` of waiting, `refresh_failed`
 * when the lock file cannot be created at all (unwritable or missing directory).
 * @example
 * ```ts
 * const lock = await acquireRefreshLock(join(codexHome, "auth.json.lock"));
 * try { await refresh(); } finally { await lock.release(); }
 * ```
 */
export async function acquireRefreshLock(
  path: string,
  options: RefreshLockOptions = {},
): Promise<RefreshLock> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = now();
  const owner = randomBytes(12).toString("hex");
  const create = async (content: LockContent): Promise<boolean> => {
    try {
      await ensurePrivateDir(dirname(path));
      return await tryCreate(path, content);
    } catch (cause) {
      throw new LoginError(
        "refresh_failed",
        "Failed to refresh token: the refresh lock file could not be created",
        { cause },
      );
    }
  };
  for (;;) {
    const content: LockContent = { pid: process.pid, host: hostname(), acquiredAt: now(), owner };
    if (await create(content)) {
      return {
        async release() {
          try {
            const current = parseContent(await readFile(path, "utf8"));
            if (current?.owner === owner) await unlink(path);
          } catch {
            // already gone
          }
        },
      };
    }
    try {
      const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
      if (isStale(text, info.mtimeMs, now(), staleMs) && (await breakStaleLock(path, text))) {
        continue;
      }
    } catch (err) {
      // released between our create and read: try again at once; anything else (a directory or
      // an unreadable file in the lock's place) waits and times out like a held lock
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
    }
    if (now() - started >= timeoutMs) {
      throw new LoginError(
        "refresh_lock_timeout",
        `another Codex process has held the token refresh lock for over ${Math.round(timeoutMs / 1000)}s`,
      );
    }
    await sleep(pollMs);
  }
}

/**
 * BSD `flock(2)` from Node, the lock upstream codex 0.169 takes on `auth.lock` and `auth.json.lock`.
 *
 * Node has no `flock` in `node:fs`, and POSIX record locks (`fcntl`/`lockf`) are a different lock on
 * Linux that does not exclude `flock`. So the call goes through koffi, a prebuilt FFI, to the C
 * library's `flock`. Every try is `LOCK_EX | LOCK_NB` (a few microseconds); waiting is a poll on a
 * timer, so the event loop never blocks and a wait can end at a deadline or on an AbortSignal.
 *
 * The lock belongs to the open file description: it is released by closing the descriptor, and the
 * kernel releases it when the holder dies (even on `kill -9`). Lock files are opened with
 * `O_RDWR | O_CREAT` (mode 0600 when created): never truncated, never written, never deleted, so
 * another program's lock file (upstream's) stays exactly as it was. Node opens every descriptor
 * with `O_CLOEXEC`, so a spawned child never inherits a held lock.
 *
 * Where `flock` cannot be had (Windows, another platform, the native FFI module missing), every
 * call fails with `lock_unsupported` instead of going on without a lock.
 */
import { close, constants, open } from "node:fs";
import { promisify } from "node:util";
import { sleep } from "@codex/wire";
import { LoginError } from "../errors.js";

/** Poll interval while a lock is held elsewhere: upstream codex 0.169 retries every 10 ms. */
export const LOCK_POLL_INTERVAL_MS = 10;

/** Mode of a lock file this module creates (an existing file keeps its mode). */
export const LOCK_FILE_MODE = 0o600;

// The same values on Linux (every architecture) and on macOS/BSD.
const LOCK_EX = 2;
const LOCK_NB = 4;

/** Retries of a try that the kernel interrupted (EINTR) before it counts as "held elsewhere". */
const EINTR_RETRIES = 3;

/** One way of calling `flock(2)`; {@link loadFlockBackend} gives the real one. */
export interface FlockBackend {
  /** What is called, for messages: e.g. `flock(2) in libc.so.6 through koffi`. */
  readonly description: string;
  /** `flock(fd, LOCK_EX | LOCK_NB)`: 0 when the lock was taken, otherwise the errno. */
  tryExclusive(fd: number): number;
  /** The errno that means "held by another open file description" (EWOULDBLOCK). */
  readonly errnoWouldBlock: number;
  /** The errno of an interrupted call (EINTR). */
  readonly errnoInterrupted: number;
  /** Symbolic name of an errno (e.g. `ENOLCK`), for messages. */
  errnoName(errno: number): string;
}

/** The part of koffi this module uses. */
export interface FfiModule {
  load(path: string | null): {
    func(definition: string): (fd: number, operation: number) => number;
  };
  errno(): number;
  readonly os: { readonly errno: Readonly<Record<string, number>> };
}

/** Options of {@link loadFlockBackend} (tests only: the defaults are the real process). */
export interface LoadFlockBackendOptions {
  /** Platform to load for (default `process.platform`). */
  readonly platform?: NodeJS.Platform | undefined;
  /** Loads the FFI module (default: `import("koffi")`). */
  readonly importFfi?: (() => Promise<FfiModule>) | undefined;
}

/** C libraries that export `flock`, in the order tried; `null` is the process's global scope. */
export function flockLibraryCandidates(platform: NodeJS.Platform): readonly (string | null)[] {
  switch (platform) {
    case "linux":
      // glibc; then the process's own symbols, which include libc on musl too.
      return ["libc.so.6", null];
    case "darwin":
      return ["/usr/lib/libSystem.B.dylib"];
    default:
      return [];
  }
}

let defaultBackend: Promise<FlockBackend> | undefined;

/**
 * Loads the `flock(2)` call of this platform. The default (no options) is loaded once per process.
 * Fails with `lock_unsupported` on a platform other than Linux and macOS, or when the FFI module or
 * the C library cannot be loaded.
 */
export function loadFlockBackend(options: LoadFlockBackendOptions = {}): Promise<FlockBackend> {
  if (options.platform === undefined && options.importFfi === undefined) {
    defaultBackend ??= createBackend(process.platform, importKoffi);
    return defaultBackend;
  }
  return createBackend(options.platform ?? process.platform, options.importFfi ?? importKoffi);
}

async function importKoffi(): Promise<FfiModule> {
  const mod = await import("koffi");
  return mod.default;
}

async function createBackend(
  platform: NodeJS.Platform,
  importFfi: () => Promise<FfiModule>,
): Promise<FlockBackend> {
  const candidates = flockLibraryCandidates(platform);
  if (candidates.length === 0) {
    throw new LoginError(
      "lock_unsupported",
      `Cannot lock the credential files on ${platform}: the BSD flock(2) locks shared with upstream codex ` +
        "are implemented for Linux and macOS only.",
    );
  }
  let ffi: FfiModule;
  try {
    ffi = await importFfi();
  } catch (err) {
    throw new LoginError(
      "lock_unsupported",
      `Cannot lock the credential files: the native FFI module koffi did not load on ${platform}/${process.arch} ` +
        "(reinstall dependencies so that its prebuilt binary for this platform is present).",
      { cause: err },
    );
  }
  const failures: unknown[] = [];
  for (const library of candidates) {
    let flock: (fd: number, operation: number) => number;
    try {
      flock = ffi.load(library).func("int flock(int fd, int operation)");
    } catch (err) {
      failures.push(err);
      continue;
    }
    const errnos = ffi.os.errno;
    const names = new Map<number, string>();
    for (const [name, value] of Object.entries(errnos))
      if (!names.has(value)) names.set(value, name);
    const errnoWouldBlock = errnos.EWOULDBLOCK ?? errnos.EAGAIN;
    const errnoInterrupted = errnos.EINTR;
    if (errnoWouldBlock === undefined || errnoInterrupted === undefined) {
      throw new LoginError(
        "lock_unsupported",
        `Cannot lock the credential files: koffi does not know this platform's errno values (${platform}).`,
      );
    }
    return {
      description: `flock(2) in ${library ?? "the process's C library"} through koffi`,
      tryExclusive(fd) {
        return flock(fd, LOCK_EX | LOCK_NB) === 0 ? 0 : ffi.errno();
      },
      errnoWouldBlock,
      errnoInterrupted,
      errnoName: (errno) => names.get(errno) ?? `errno ${errno}`,
    };
  }
  throw new LoginError(
    "lock_unsupported",
    `Cannot lock the credential files: no C library exporting flock(2) could be loaded on ${platform} ` +
      `(tried ${candidates.map((c) => c ?? "the process's global symbols").join(", ")}).`,
    { cause: failures.length === 1 ? failures[0] : new AggregateError(failures) },
  );
}

/** A held `flock`. Release it exactly once (more calls do nothing); process exit releases it too. */
export interface FileLock {
  /** The lock file's path as given. */
  readonly path: string;
  /** False once {@link FileLock.release} was called. */
  readonly held: boolean;
  /** Closes the descriptor, which releases the lock. The file stays. */
  release(): Promise<void>;
}

/** Options of {@link tryLockFile}. */
export interface TryLockFileOptions {
  /** The flock call (default: {@link loadFlockBackend}). */
  readonly backend?: FlockBackend | undefined;
  /** Mode of the lock file when this call creates it (default 0600). */
  readonly fileMode?: number | undefined;
}

/** Options of {@link lockFile}. */
export interface LockFileOptions extends TryLockFileOptions {
  /**
   * Give up after waiting this long, with `lock_timeout`. Required: pass
   * `Number.POSITIVE_INFINITY` to wait without limit. 0 means one try.
   */
  readonly timeoutMs: number;
  /** Poll interval while the lock is held elsewhere (default {@link LOCK_POLL_INTERVAL_MS}). */
  readonly pollMs?: number | undefined;
  /** Stops waiting with `lock_aborted`. Has no effect once the lock is held. */
  readonly signal?: AbortSignal | undefined;
  /** Called once, when the first try finds the lock held elsewhere (to report a wait). */
  readonly onWait?: (() => void) | undefined;
  /** Clock in ms (default `Date.now`). */
  readonly now?: (() => number) | undefined;
  /** Sleep (default: a timer that rejects when `signal` aborts). */
  readonly sleep?: ((ms: number, signal: AbortSignal | undefined) => Promise<void>) | undefined;
}

const openFd = promisify(open);
const closeFd = promisify(close);

/**
 * One try: takes the exclusive `flock` on `path` (creating the file, mode 0600, if missing) and
 * returns the held lock, or `undefined` when another open file description holds it.
 *
 * @example
 * ```ts
 * const lock = await tryLockFile(join(home, "auth.lock"));
 * if (lock) try { await work(); } finally { await lock.release(); }
 * ```
 */
export async function tryLockFile(
  path: string,
  options: TryLockFileOptions = {},
): Promise<FileLock | undefined> {
  const lock = await lockFile(path, { ...options, timeoutMs: 0 }).catch((err: unknown) => {
    if (err instanceof LoginError && err.code === "lock_timeout") return undefined;
    throw err;
  });
  return lock;
}

/**
 * Takes the exclusive `flock` on `path` (creating the file, mode 0600, if missing), polling every
 * `pollMs` while another open file description holds it, until `timeoutMs` has passed
 * (`lock_timeout`) or `signal` aborts (`lock_aborted`). The event loop is never blocked.
 *
 * @example
 * ```ts
 * const lock = await lockFile(join(home, "auth.json.lock"), { timeoutMs: 5_000 });
 * try { await commit(); } finally { await lock.release(); }
 * ```
 */
export async function lockFile(path: string, options: LockFileOptions): Promise<FileLock> {
  validate(path, options);
  const signal = options.signal;
  if (signal?.aborted) throw aborted(path, signal);
  const backend = options.backend ?? (await loadFlockBackend());
  const fd = await openLockFile(path, options.fileMode ?? LOCK_FILE_MODE);
  try {
    const now = options.now ?? Date.now;
    const wait = options.sleep ?? sleep;
    const pollMs = options.pollMs ?? LOCK_POLL_INTERVAL_MS;
    const deadline = now() + options.timeoutMs;
    let reported = false;
    for (;;) {
      if (signal?.aborted) throw aborted(path, signal);
      if (tryOnce(backend, fd, path)) return heldLock(path, fd);
      const remaining = deadline - now();
      if (remaining <= 0) throw timedOut(path, options.timeoutMs);
      if (!reported) {
        reported = true;
        options.onWait?.();
      }
      try {
        await wait(Math.min(pollMs, remaining), signal);
      } catch (err) {
        if (signal?.aborted) throw aborted(path, signal);
        throw err;
      }
    }
  } catch (err) {
    await closeFd(fd).catch(() => undefined);
    throw err;
  }
}

/**
 * Runs `fn` while holding the exclusive `flock` on `path` ({@link lockFile}), then releases it,
 * also when `fn` throws.
 */
export async function withFileLock<T>(
  path: string,
  options: LockFileOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const lock = await lockFile(path, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

function validate(path: string, options: LockFileOptions): void {
  if (typeof path !== "string" || path.length === 0 || path.includes("\0")) {
    throw new LoginError("invalid_argument", "The lock file path must be a non-empty string.");
  }
  const { timeoutMs, pollMs, fileMode } = options;
  if (typeof timeoutMs !== "number" || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new LoginError(
      "invalid_argument",
      "timeoutMs must be a number >= 0 (Number.POSITIVE_INFINITY waits without limit).",
    );
  }
  if (
    pollMs !== undefined &&
    (typeof pollMs !== "number" || !Number.isFinite(pollMs) || pollMs <= 0)
  ) {
    throw new LoginError("invalid_argument", "pollMs must be a finite number > 0.");
  }
  if (fileMode !== undefined && (!Number.isInteger(fileMode) || fileMode < 0 || fileMode > 0o777)) {
    throw new LoginError(
      "invalid_argument",
      "fileMode must be an integer permission mode (0 to 0o777).",
    );
  }
}

async function openLockFile(path: string, mode: number): Promise<number> {
  try {
    // Never O_TRUNC: an existing lock file (upstream's) keeps its bytes, mode and inode.
    return await openFd(path, constants.O_RDWR | constants.O_CREAT, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "its folder does not exist"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied (it must be readable and writable by this user)"
          : code === "EISDIR"
            ? "it is a folder"
            : code === "EROFS"
              ? "the file system is read-only"
              : `${code ?? "unknown error"}`;
    throw new LoginError("lock_failed", `Cannot open the lock file ${path}: ${why}.`, {
      cause: err,
    });
  }
}

function tryOnce(backend: FlockBackend, fd: number, path: string): boolean {
  for (let attempt = 0; ; attempt++) {
    const errno = backend.tryExclusive(fd);
    if (errno === 0) return true;
    if (errno === backend.errnoWouldBlock) return false;
    if (errno === backend.errnoInterrupted && attempt < EINTR_RETRIES) continue;
    if (errno === backend.errnoInterrupted) return false;
    const name = backend.errnoName(errno);
    const unsupported =
      name === "ENOLCK" || name === "EOPNOTSUPP" || name === "ENOTSUP" || name === "ENOSYS";
    throw new LoginError(
      unsupported ? "lock_unsupported" : "lock_failed",
      unsupported
        ? `Cannot lock ${path}: its file system does not support flock(2) locks (${name}).`
        : `Cannot lock ${path}: ${backend.description} failed with ${name}.`,
    );
  }
}

function heldLock(path: string, fd: number): FileLock {
  let held = true;
  let closing: Promise<void> | undefined;
  return {
    path,
    get held() {
      return held;
    },
    release() {
      if (closing) return closing;
      held = false;
      closing = closeFd(fd).catch((err: unknown) => {
        throw new LoginError("lock_failed", `Releasing the lock on ${path} failed.`, {
          cause: err,
        });
      });
      return closing;
    },
  };
}

function timedOut(path: string, timeoutMs: number): LoginError {
  return new LoginError(
    "lock_timeout",
    timeoutMs === 0
      ? `The lock ${path} is held by another process.`
      : `Timed out after ${formatMs(timeoutMs)} waiting for the lock ${path}: another process (possibly ` +
          "upstream codex) still holds it. Try again; if it stays locked, look for the process holding it.",
  );
}

function aborted(path: string, signal: AbortSignal): LoginError {
  return new LoginError(
    "lock_aborted",
    `Stopped waiting for the lock ${path}: the operation was aborted.`,
    {
      cause: signal.reason,
    },
  );
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`;
}

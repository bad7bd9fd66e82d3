/**
 * The two credential locks upstream codex 0.169 takes around every commit of auth.json (or of the
 * keyring item), in its order:
 *
 * 1. `$CODEX_HOME/auth.lock`, exclusive. Upstream blocks on it without limit; we poll it (10 ms) with
 *    a bounded, reported wait. This outer scope may span a refresh's network call (our processes then
 *    never spend one refresh token twice; upstream simply waits).
 * 2. `<auth.json resolved through symlinks>.lock`, normally `$CODEX_HOME/auth.json.lock`, exclusive,
 *    polled every 10 ms for 5 s as upstream does. This inner scope is only for re-read, compare and
 *    write (or unlink, or the keyring write): upstream gives up after 5 s and, in a refresh, loses the
 *    token it was just sent, so it must never span network I/O.
 *
 * Release is in reverse order. Neither file is ever truncated, written or deleted.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { lstat, mkdir, readlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Logger } from "@codex/wire";
import { LoginError } from "../errors.js";
import { type FileLock, type FlockBackend, LOCK_POLL_INTERVAL_MS, lockFile } from "./flock.js";

/** Name of the outer lock file in CODEX_HOME. */
export const AUTH_LOCK_FILE_NAME = "auth.lock";
/** The commit lock is the (resolved) auth file's path plus this suffix. */
export const COMMIT_LOCK_SUFFIX = ".lock";
/** How long upstream 0.169 polls `auth.json.lock` before "credential commit lock timed out". */
export const COMMIT_LOCK_TIMEOUT_MS = 5_000;
/**
 * Our bound on waiting for `auth.lock` (upstream waits without limit). Long enough for another
 * process's refresh, which holds `auth.lock` across its token request.
 */
export const AUTH_LOCK_TIMEOUT_MS = 90_000;
/** Holding `auth.json.lock` longer than this is logged as a warning (upstream gives up at 5 s). */
export const COMMIT_LOCK_HOLD_WARN_MS = 1_000;

const MAX_SYMLINK_HOPS = 40;

/** Which of the two locks an event or error is about. */
export type AuthLockName = "auth.lock" | "auth.json.lock";

/** Reported once per lock when its first try finds it held by another process. */
export interface AuthLockWaitEvent {
  readonly lock: AuthLockName;
  /** Path of the lock file. */
  readonly path: string;
}

/** Options of {@link withAuthLock} and {@link withAuthCommitLocks}. */
export interface AuthLockOptions {
  /** CODEX_HOME: `auth.lock` lives here (created, mode 0700, when missing, as upstream does). */
  readonly codexHome: string;
  /** The auth file (default `<codexHome>/auth.json`); may be a symlink. */
  readonly authFile?: string | undefined;
  /** Bound on waiting for `auth.lock` (default {@link AUTH_LOCK_TIMEOUT_MS}). */
  readonly authLockTimeoutMs?: number | undefined;
  /** Bound on waiting for `auth.json.lock` (default {@link COMMIT_LOCK_TIMEOUT_MS}, as upstream). */
  readonly commitLockTimeoutMs?: number | undefined;
  /** Poll interval of both waits (default 10 ms, as upstream). */
  readonly pollMs?: number | undefined;
  /** Stops a wait for either lock with `lock_aborted`. */
  readonly signal?: AbortSignal | undefined;
  /** Called when a lock is found held by another process, before waiting for it. */
  readonly onWait?: ((event: AuthLockWaitEvent) => void) | undefined;
  /** Receives a debug line per wait and a warning when `auth.json.lock` is held too long. */
  readonly logger?: Logger | undefined;
  /** The flock call (tests only; default: the real one). */
  readonly backend?: FlockBackend | undefined;
  /** Clock in ms (tests only; default `Date.now`). */
  readonly now?: (() => number) | undefined;
  /** Sleep between polls (tests only). */
  readonly sleep?: ((ms: number, signal: AbortSignal | undefined) => Promise<void>) | undefined;
}

/** Where a commit reads, writes and locks, resolved under `auth.lock`. */
export interface AuthCommitTarget {
  /** The auth file as configured (possibly a symlink): what a logout unlinks, as upstream does. */
  readonly authFile: string;
  /**
   * The auth file resolved through symlinks: read it, and write it with a temp file in its folder
   * renamed onto it, so a symlinked auth.json stays a symlink.
   */
  readonly target: string;
  /** `<target>.lock`, held during the commit callback. */
  readonly commitLockPath: string;
}

/** The `auth.lock` scope handed to the {@link withAuthLock} callback. */
export interface AuthLockScope {
  /** `<codexHome>/auth.lock`, held for the whole scope. */
  readonly authLockPath: string;
  /** The auth file as configured. */
  readonly authFile: string;
  /**
   * Takes `auth.json.lock` (next to the symlink target of auth.json), runs `fn`, releases it.
   * `fn` re-reads, compares and writes; no network call inside. Only while the scope is open,
   * never nested.
   */
  commit<T>(fn: (target: AuthCommitTarget) => Promise<T>): Promise<T>;
}

interface ActiveScope {
  readonly key: string;
  readonly kind: "auth" | "commit";
  active: boolean;
  /** The `auth.lock` scope (kind `auth`), to join from {@link withAuthCommit}. */
  readonly scope?: AuthLockScope | undefined;
  /** The commit target (kind `commit`), to join from {@link withAuthCommit}. */
  readonly target?: AuthCommitTarget | undefined;
}

/** Locks held by the current async call chain, to refuse a nested take that would wait on itself. */
const heldInContext = new AsyncLocalStorage<readonly ActiveScope[]>();

/**
 * Runs `fn` holding `$CODEX_HOME/auth.lock`. Inside, `scope.commit(...)` takes `auth.json.lock` for
 * the read-compare-write. The outer lock may be held across a refresh's network call; the inner one
 * never. Both are released (inner first) also when `fn` throws.
 *
 * @example
 * ```ts
 * await withAuthLock({ codexHome }, async (scope) => {
 *   const before = await readAuth(scope.authFile);           // adopt a rotation made meanwhile
 *   const tokens = await refreshOverNetwork(before);          // auth.lock only
 *   await scope.commit(async ({ target }) => {                // + auth.json.lock, a few ms
 *     if (changed(await readAuth(target), before)) throw credentialsChanged();
 *     await atomicWrite(target, merged(tokens));
 *   });
 * });
 * ```
 */
export async function withAuthLock<T>(
  options: AuthLockOptions,
  fn: (scope: AuthLockScope) => Promise<T>,
): Promise<T> {
  const codexHome = validHome(options.codexHome);
  const authLockPath = join(codexHome, AUTH_LOCK_FILE_NAME);
  const authFile = resolve(options.authFile ?? join(codexHome, "auth.json"));
  const held = heldInContext.getStore() ?? [];
  if (held.some((s) => s.active && s.key === authLockPath)) {
    throw new LoginError(
      "invalid_argument",
      `${authLockPath} is already held by this call chain; taking it again would wait on itself.`,
    );
  }
  await ensureHome(codexHome);
  const outer = await take(
    options,
    "auth.lock",
    authLockPath,
    options.authLockTimeoutMs ?? AUTH_LOCK_TIMEOUT_MS,
  );
  let record: ActiveScope | undefined;
  const scope: AuthLockScope = {
    authLockPath,
    authFile,
    commit: (commitFn) => runCommit(options, record as ActiveScope, authFile, commitFn),
  };
  record = { key: authLockPath, kind: "auth", active: true, scope };
  try {
    return await heldInContext.run([...held, record], () => fn(scope));
  } finally {
    record.active = false;
    await outer.release();
  }
}

/**
 * Takes both locks in upstream's order, runs `fn`, releases in reverse order: for commits with no
 * network call in between (saving a login, a logout's unlink, a keyring save).
 */
export function withAuthCommitLocks<T>(
  options: AuthLockOptions,
  fn: (target: AuthCommitTarget) => Promise<T>,
): Promise<T> {
  return withAuthLock(options, (scope) => scope.commit(fn));
}

/**
 * Like {@link withAuthCommitLocks}, but joins the locks this call chain already holds for the same
 * Codex home instead of refusing them: inside a `scope.commit(...)` of that home `fn` runs at once
 * (same target); inside its {@link withAuthLock} scope only `auth.json.lock` is taken; otherwise
 * both, in upstream's order. What every store commit (save, delete) goes through, so a refresh
 * that holds the locks can call the store's `save` inside its commit.
 */
export function withAuthCommit<T>(
  options: AuthLockOptions,
  fn: (target: AuthCommitTarget) => Promise<T>,
): Promise<T> {
  const codexHome = validHome(options.codexHome);
  const authLockPath = join(codexHome, AUTH_LOCK_FILE_NAME);
  const held = heldInContext.getStore() ?? [];
  const outer = held.find((s) => s.active && s.kind === "auth" && s.key === authLockPath);
  if (outer?.scope !== undefined) {
    const inner = held.find((s) => s.active && s.kind === "commit");
    if (inner?.target !== undefined) {
      const wanted = resolve(options.authFile ?? join(codexHome, "auth.json"));
      if (inner.target.authFile !== wanted) {
        throw new LoginError(
          "invalid_argument",
          `A commit of ${wanted} was started inside the commit of ${inner.target.authFile}.`,
        );
      }
      return fn(inner.target);
    }
    return outer.scope.commit(fn);
  }
  return withAuthCommitLocks(options, fn);
}

/**
 * The paths a commit uses for `authFile`: the file resolved through symlinks (when it is one,
 * however many hops, relative links resolved from the link's folder; a missing final file is fine)
 * and `<resolved>.lock` beside it.
 */
export async function resolveAuthCommitTarget(authFile: string): Promise<AuthCommitTarget> {
  let current = resolve(authFile);
  for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop++) {
    let isLink: boolean;
    try {
      isLink = (await lstat(current)).isSymbolicLink();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") isLink = false;
      else {
        throw new LoginError("lock_failed", `Cannot inspect ${current} to place its commit lock.`, {
          cause: err,
        });
      }
    }
    if (!isLink) {
      return {
        authFile: resolve(authFile),
        target: current,
        commitLockPath: current + COMMIT_LOCK_SUFFIX,
      };
    }
    let link: string;
    try {
      link = await readlink(current);
    } catch (err) {
      throw new LoginError(
        "lock_failed",
        `Cannot read the symbolic link ${current} to place its commit lock.`,
        {
          cause: err,
        },
      );
    }
    current = resolve(dirname(current), link);
  }
  throw new LoginError(
    "lock_failed",
    `${authFile} is a chain of more than ${MAX_SYMLINK_HOPS} symbolic links (a loop?); cannot place its commit lock.`,
  );
}

async function runCommit<T>(
  options: AuthLockOptions,
  outer: ActiveScope,
  authFile: string,
  fn: (target: AuthCommitTarget) => Promise<T>,
): Promise<T> {
  if (!outer.active) {
    throw new LoginError(
      "invalid_argument",
      "commit() was called after its auth.lock scope ended.",
    );
  }
  const held = heldInContext.getStore() ?? [];
  if (held.some((s) => s.active && s.kind === "commit")) {
    throw new LoginError(
      "invalid_argument",
      "commit() was called inside another commit(); auth.json.lock is already held by this call chain.",
    );
  }
  const target = await resolveAuthCommitTarget(authFile);
  const inner = await take(
    options,
    "auth.json.lock",
    target.commitLockPath,
    options.commitLockTimeoutMs ?? COMMIT_LOCK_TIMEOUT_MS,
  );
  const now = options.now ?? Date.now;
  const since = now();
  const record: ActiveScope = {
    key: target.commitLockPath,
    kind: "commit",
    active: true,
    target,
  };
  try {
    return await heldInContext.run([...held, record], () => fn(target));
  } finally {
    record.active = false;
    await inner.release();
    const heldMs = now() - since;
    if (heldMs > COMMIT_LOCK_HOLD_WARN_MS) {
      options.logger?.warn(
        "auth.json.lock was held too long; upstream codex gives up waiting after 5 s",
        {
          path: target.commitLockPath,
          heldMs,
        },
      );
    }
  }
}

async function take(
  options: AuthLockOptions,
  lock: AuthLockName,
  path: string,
  timeoutMs: number,
): Promise<FileLock> {
  try {
    return await lockFile(path, {
      timeoutMs,
      pollMs: options.pollMs ?? LOCK_POLL_INTERVAL_MS,
      signal: options.signal,
      backend: options.backend,
      now: options.now,
      sleep: options.sleep,
      onWait: () => {
        options.logger?.debug("waiting for a credential lock held by another process", {
          lock,
          path,
        });
        options.onWait?.({ lock, path });
      },
    });
  } catch (err) {
    if (err instanceof LoginError && err.code === "lock_timeout") {
      throw new LoginError(
        "lock_timeout",
        lock === "auth.lock"
          ? `Timed out after ${seconds(timeoutMs)} waiting for the credential lock ${path}: another codex ` +
              "process is still logging in, refreshing or logging out. Try again."
          : `Credential commit lock timed out: ${path} was held by another process for more than ` +
              `${seconds(timeoutMs)}. Nothing was written; try again.`,
        { cause: err },
      );
    }
    throw err;
  }
}

function validHome(codexHome: string): string {
  if (typeof codexHome !== "string" || codexHome.length === 0 || codexHome.includes("\0")) {
    throw new LoginError("invalid_codex_home", "CODEX_HOME must be a non-empty path.");
  }
  return resolve(codexHome);
}

async function ensureHome(codexHome: string): Promise<void> {
  try {
    await mkdir(codexHome, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new LoginError("invalid_codex_home", `Cannot create CODEX_HOME ${codexHome}.`, {
      cause: err,
    });
  }
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

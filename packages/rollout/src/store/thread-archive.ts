import { link, lstat, mkdir, rename, unlink, utimes } from "node:fs/promises";
import { basename, isAbsolute, join, relative } from "node:path";
import { requirePath } from "../internal/args.js";
import { isUuid } from "../internal/uuid.js";
import { RolloutError } from "../rollout-error.js";
import { ARCHIVED_SESSIONS_SUBDIR, rolloutDateParts, SESSIONS_SUBDIR } from "./rollout-path.js";
import { findArchivedThreadPathById, findThreadPathById } from "./thread-lookup.js";
import { readThreadItem, type ThreadItem } from "./thread-summary.js";

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/**
 * After a link met an existing target: true when another caller is moving this very file right
 * now (both paths name one file, or the source is already gone), rather than a different file
 * being in the way.
 */
async function movedByAnother(from: string, to: string): Promise<boolean> {
  const [source, target] = await Promise.all([
    lstat(from).catch(() => null),
    lstat(to).catch(() => null),
  ]);
  if (source === null) return true;
  return target !== null && source.ino === target.ino && source.dev === target.dev;
}

/**
 * Moves `from` to `to` unless something already exists at `to`. A hard link is the atomic
 * no-clobber step (rename would silently replace the target, and a check before it races);
 * filesystems without hard links fall back to check-then-rename.
 */
async function moveUnlessTaken(from: string, to: string, what: string): Promise<void> {
  const fail = (cause: unknown) =>
    new RolloutError("io_error", `could not ${what} the rollout file`, { cause });
  const taken = () =>
    new RolloutError(
      "already_exists",
      `a rollout file with this name is in the way; cannot ${what}`,
    );
  try {
    await link(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const gone = () =>
      new RolloutError("thread_not_found", `the rollout file is gone; cannot ${what}`);
    if (code === "EEXIST") throw (await movedByAnother(from, to)) ? gone() : taken();
    if (code === "ENOENT") throw gone();
    if (code !== "EXDEV" && code !== "EPERM" && code !== "ENOTSUP") throw fail(err);
    const exists = await lstat(to).then(
      () => true,
      (statErr: NodeJS.ErrnoException) => {
        if (statErr.code === "ENOENT") return false;
        throw fail(statErr);
      },
    );
    if (exists) throw taken();
    await rename(from, to).catch((cause: unknown) => {
      throw fail(cause);
    });
    return;
  }
  try {
    await unlink(from);
  } catch (cause) {
    await unlink(to).catch(() => undefined); // undo: keep the file under its old name only
    throw fail(cause);
  }
}

/**
 * Moves a live thread's file to `archived_sessions/<name>`; returns the new path.
 * Errors: `invalid_argument` (not a UUID), `thread_not_found`, `already_exists` (a file of that
 * name is already archived; nothing is moved or overwritten), `io_error`.
 *
 * @example const archived = await archiveThread(codexHome, threadId);
 */
export async function archiveThread(codexHome: string, threadId: string): Promise<string> {
  requirePath("codexHome", codexHome);
  if (typeof threadId !== "string" || !isUuid(threadId)) {
    throw new RolloutError("invalid_argument", "thread id must be a UUID");
  }
  const root = join(codexHome, SESSIONS_SUBDIR);
  const path = await findThreadPathById(codexHome, threadId);
  const name = path === null ? "" : basename(path);
  if (
    path === null ||
    !inside(root, path) ||
    !name.toLowerCase().endsWith(`${threadId.toLowerCase()}.jsonl`)
  ) {
    throw new RolloutError("thread_not_found", "no live rollout file for this thread");
  }
  const dir = join(codexHome, ARCHIVED_SESSIONS_SUBDIR);
  const dest = join(dir, name);
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new RolloutError("io_error", "could not archive the rollout file", { cause });
  }
  await moveUnlessTaken(path, dest, "archive");
  return dest;
}

/**
 * Moves an archived thread back under `sessions/YYYY/MM/DD/` (date from its name), touches its
 * mtime (best effort), and returns its re-read summary (`item` is `null` if the thread is hidden).
 * Errors as {@link archiveThread} (`already_exists` when a live file of that name exists).
 */
export async function unarchiveThread(
  codexHome: string,
  threadId: string,
  options: { now?: () => number } = {},
): Promise<{ path: string; item: ThreadItem | null }> {
  requirePath("codexHome", codexHome);
  if (typeof threadId !== "string" || !isUuid(threadId)) {
    throw new RolloutError("invalid_argument", "thread id must be a UUID");
  }
  const path = await findArchivedThreadPathById(codexHome, threadId);
  if (path === null)
    throw new RolloutError("thread_not_found", "no archived rollout for this thread");
  const name = basename(path);
  const parts = rolloutDateParts(name);
  if (parts === null) throw new RolloutError("invalid_argument", "archived file name has no date");
  const dir = join(codexHome, SESSIONS_SUBDIR, parts.y, parts.m, parts.d);
  const dest = join(dir, name);
  const now = new Date((options.now ?? Date.now)());
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new RolloutError("io_error", "could not unarchive the rollout file", { cause });
  }
  await moveUnlessTaken(path, dest, "unarchive");
  // The move is done; the fresh mtime only orders the thread first by update time, so a failure
  // to set it must not report the unarchive itself as failed.
  await utimes(dest, now, now).catch(() => undefined);
  return { path: dest, item: await readThreadItem(dest) };
}

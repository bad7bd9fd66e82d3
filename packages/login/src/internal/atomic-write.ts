import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readdir, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { processAlive } from "./process-alive.js";

/**
 * Creates `dir` (and parents) with mode 0700, and tightens `dir` itself to 0700 when it exists.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== "win32") await chmod(dir, 0o700);
}

/** Options of {@link atomicWriteFile}. */
export interface AtomicWriteOptions {
  /**
   * Create the folder with mode 0700 and tighten an existing one to 0700 (default true). False for
   * a folder that is not ours to change (the target of a symlinked auth.json): only created when
   * missing.
   */
  readonly privateDir?: boolean | undefined;
}

/**
 * Atomically replaces `path` with `data`: temp file (mode 0600) in the same directory, write,
 * fsync, rename over the target, fsync the directory. The target is never truncated in place:
 * a crash leaves either the old or the new content. `path` must not be a symlink (resolve it
 * first: the rename would replace the link itself).
 */
export async function atomicWriteFile(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  if (options.privateDir === false) await mkdir(dir, { recursive: true, mode: 0o700 });
  else await ensurePrivateDir(dir);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx", 0o600);
  let renamed = false;
  try {
    if (process.platform !== "win32") await fh.chmod(0o600);
    await fh.writeFile(data);
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
    renamed = true;
  } finally {
    if (!renamed) {
      await fh.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
    }
  }
  await fsyncDir(dir);
  await removeOrphanedTemps(dir, basename(path));
}

/** Removes temp files of earlier writers that died mid-write (their pid is gone). */
async function removeOrphanedTemps(dir: string, base: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const prefix = `.${base}.`;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const pid = Number(name.slice(prefix.length).split(".")[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) {
      await unlink(join(dir, name)).catch(() => undefined);
    }
  }
}

async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === "win32") return;
  const dh = await open(dir, "r");
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

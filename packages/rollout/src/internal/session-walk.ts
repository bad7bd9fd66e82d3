import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { parseRolloutFileName } from "../store/rollout-path.js";

export interface Candidate {
  path: string;
  name: string;
  timeMs: number;
  threadId: string;
}

async function listDir(path: string): Promise<{ name: string; isDir: boolean; isFile: boolean }[]> {
  try {
    const ents = await readdir(path, { withFileTypes: true });
    return ents.map((e) => ({ name: e.name, isDir: e.isDirectory(), isFile: e.isFile() }));
  } catch {
    return [];
  }
}

/** Numeric child directories, largest first. */
async function numericDirs(path: string): Promise<{ n: number; name: string }[]> {
  const ents = await listDir(path);
  return ents
    .filter((e) => e.isDir && /^\d+$/.test(e.name))
    .map((e) => ({ n: Number(e.name), name: e.name }))
    .sort((a, b) => b.n - a.n);
}

export function compareDesc(a: Candidate, b: Candidate): number {
  if (a.timeMs !== b.timeMs) return b.timeMs - a.timeMs;
  return a.threadId < b.threadId ? 1 : a.threadId > b.threadId ? -1 : 0;
}

async function filesIn(dir: string): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const e of await listDir(dir)) {
    if (!e.isFile) continue;
    const parsed = parseRolloutFileName(e.name);
    if (parsed === null) continue;
    out.push({
      path: join(dir, e.name),
      name: e.name,
      timeMs: parsed.timeMs,
      threadId: parsed.threadId.toLowerCase(),
    });
  }
  return out.sort(compareDesc);
}

/**
 * Rollout files of `sessions/` newest first (year → month → day descending, then by
 * (name timestamp desc, uuid desc)). Day folders whose whole range is newer than
 * `notAfterMs` are skipped without being listed.
 */
export async function* walkSessionsDesc(
  root: string,
  notAfterMs = Number.POSITIVE_INFINITY,
): AsyncGenerator<Candidate> {
  for (const y of await numericDirs(root)) {
    if (Date.UTC(y.n, 0, 1) > notAfterMs) continue;
    const yp = join(root, y.name);
    for (const m of await numericDirs(yp)) {
      if (Date.UTC(y.n, m.n - 1, 1) > notAfterMs) continue;
      const mp = join(yp, m.name);
      for (const d of await numericDirs(mp)) {
        if (Date.UTC(y.n, m.n - 1, d.n) > notAfterMs) continue;
        yield* await filesIn(join(mp, d.name));
      }
    }
  }
}

/** Rollout files of the flat `archived_sessions/`, newest first. */
export async function* walkFlatDesc(root: string): AsyncGenerator<Candidate> {
  yield* await filesIn(root);
}

import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { formatRfc3339Seconds, isJsonObject as isObject } from "@codex/wire";
import { requirePath, requireString } from "../internal/args.js";
import { isUuid } from "../internal/uuid.js";
import { RolloutError } from "../rollout-error.js";
import { appendRolloutItemToPath } from "./rollout-append.js";

import { loadRolloutItems } from "./rollout-reader.js";
import { findThreadPathById } from "./thread-lookup.js";

/** File name of the thread-name index under `CODEX_HOME`. */
export const SESSION_INDEX_FILE = "session_index.jsonl";
/** Backward read chunk size of by-id lookups. */
export const SESSION_INDEX_CHUNK = 8192;

/** One index line. */
export interface SessionIndexEntry {
  id: string;
  thread_name: string;
  /** RFC 3339 UTC. */
  updated_at: string;
}

function parseEntry(text: string): SessionIndexEntry | null {
  const t = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (t.trim() === "" || t.includes("\uFFFD")) return null;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return null;
  }
  if (!isObject(v) || typeof v.id !== "string" || typeof v.thread_name !== "string") return null;
  return {
    id: v.id,
    thread_name: v.thread_name,
    updated_at: typeof v.updated_at === "string" ? v.updated_at : "",
  };
}

/**
 * Appends `{"id","thread_name","updated_at"}` to `session_index.jsonl` (create+append, fsync).
 * Newest line wins.
 *
 * @example await appendThreadName(codexHome, threadId, "fix the build");
 */
export async function appendThreadName(
  codexHome: string,
  threadId: string,
  name: string,
  options: { now?: () => number } = {},
): Promise<SessionIndexEntry> {
  requirePath("codexHome", codexHome);
  if (typeof threadId !== "string" || !isUuid(threadId)) {
    throw new RolloutError("invalid_argument", "thread id must be a UUID");
  }
  requireString("name", name);
  const entry: SessionIndexEntry = {
    id: threadId,
    thread_name: name,
    updated_at: formatRfc3339Seconds((options.now ?? Date.now)()),
  };
  try {
    const fh = await open(join(codexHome, SESSION_INDEX_FILE), "a");
    try {
      await fh.write(`${JSON.stringify(entry)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (cause) {
    throw new RolloutError("io_error", "could not write the session index", { cause });
  }
  return entry;
}

/**
 * The latest name of one thread, reading the index backwards in 8 KiB chunks;
 * `null` when none (or no index).
 */
export async function findThreadName(codexHome: string, threadId: string): Promise<string | null> {
  requirePath("codexHome", codexHome);
  if (typeof threadId !== "string") return null;
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(join(codexHome, SESSION_INDEX_FILE), "r");
  } catch {
    return null;
  }
  try {
    let pos = (await fh.stat()).size;
    let tail = Buffer.alloc(0);
    const chunk = Buffer.allocUnsafe(SESSION_INDEX_CHUNK);
    while (pos > 0 || tail.length > 0) {
      if (pos > 0) {
        const n = Math.min(SESSION_INDEX_CHUNK, pos);
        pos -= n;
        const { bytesRead } = await fh.read(chunk, 0, n, pos);
        tail = Buffer.concat([chunk.subarray(0, bytesRead), tail]);
      }
      // Every complete line is after the first newline (or the whole buffer at file start).
      for (let nl = tail.lastIndexOf(10); ; nl = tail.lastIndexOf(10)) {
        const startOk = nl >= 0 || pos === 0;
        if (!startOk) break;
        const line = tail.subarray(nl + 1);
        tail = nl >= 0 ? tail.subarray(0, nl) : Buffer.alloc(0);
        const e = parseEntry(line.toString("utf8"));
        if (e !== null && e.id === threadId) return e.thread_name;
        if (nl < 0) break;
      }
      if (pos === 0 && tail.length === 0) break;
    }
    return null;
  } catch (cause) {
    throw new RolloutError("io_error", "could not read the session index", { cause });
  } finally {
    await fh.close().catch(() => {});
  }
}

async function readAllEntries(codexHome: string): Promise<SessionIndexEntry[]> {
  let text: string;
  try {
    text = await readFile(join(codexHome, SESSION_INDEX_FILE), "utf8");
  } catch {
    return [];
  }
  const out: SessionIndexEntry[] = [];
  for (const line of text.split("\n")) {
    const e = parseEntry(line);
    if (e !== null) out.push(e);
  }
  return out;
}

/** Latest names of many threads (forward read; trimmed; empty names ignored; last wins). */
export async function findThreadNames(
  codexHome: string,
  threadIds: readonly string[],
): Promise<Map<string, string>> {
  requirePath("codexHome", codexHome);
  if (!Array.isArray(threadIds))
    throw new RolloutError("invalid_argument", "threadIds must be an array");
  const want = new Set(threadIds);
  const out = new Map<string, string>();
  for (const e of await readAllEntries(codexHome)) {
    const name = e.thread_name.trim();
    if (name !== "" && want.has(e.id)) out.set(e.id, name);
  }
  return out;
}

/**
 * The newest thread whose **latest** name equals `name` exactly and whose rollout is readable;
 * `null` for a blank name or no match.
 */
export async function findThreadPathByName(
  codexHome: string,
  name: string,
): Promise<{ threadId: string; path: string } | null> {
  requirePath("codexHome", codexHome);
  if (typeof name !== "string" || name.trim() === "") return null;
  const latest = new Map<string, { name: string; order: number }>();
  const entries = await readAllEntries(codexHome);
  entries.forEach((e, i) => {
    latest.set(e.id, { name: e.thread_name, order: i });
  });
  const matches = [...latest.entries()]
    .filter(([, v]) => v.name === name)
    .sort((a, b) => b[1].order - a[1].order);
  for (const [id] of matches) {
    const path = await findThreadPathById(codexHome, id);
    if (path === null) continue;
    try {
      await loadRolloutItems(path);
      return { threadId: id, path };
    } catch {
      // unreadable: try an older match
    }
  }
  return null;
}

/**
 * Renames a thread: appends to `session_index.jsonl` and, when the thread's live rollout exists,
 * appends a `thread_name_updated` event to it. Returns whether the rollout was updated.
 * (While a recorder owns that rollout, record the event through the recorder and call
 * {@link appendThreadName} instead.)
 */
export async function renameThread(
  codexHome: string,
  threadId: string,
  name: string,
  options: { now?: () => number } = {},
): Promise<{ entry: SessionIndexEntry; rolloutUpdated: boolean }> {
  const entry = await appendThreadName(codexHome, threadId, name, options);
  const path = await findThreadPathById(codexHome, threadId);
  if (path === null) return { entry, rolloutUpdated: false };
  await appendRolloutItemToPath(
    path,
    {
      type: "event_msg",
      payload: { type: "thread_name_updated", thread_id: threadId, thread_name: name },
    },
    options,
  );
  return { entry, rolloutUpdated: true };
}

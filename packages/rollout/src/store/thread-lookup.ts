import { join, resolve } from "node:path";
import { requirePath } from "../internal/args.js";
import { walkFlatDesc, walkSessionsDesc } from "../internal/session-walk.js";
import { isUuid } from "../internal/uuid.js";
import { RolloutError } from "../rollout-error.js";
import { ARCHIVED_SESSIONS_SUBDIR, SESSIONS_SUBDIR } from "./rollout-path.js";
import { loadRolloutItems } from "./rollout-reader.js";

/**
 * Finds the rollout file of a live thread by id (`find_thread_path_by_id_str`).
 * `null` for a non-UUID id or when no file under `sessions/` has the id in its name.
 *
 * @example const path = await findThreadPathById(codexHome, threadId);
 */
export async function findThreadPathById(codexHome: string, id: string): Promise<string | null> {
  requirePath("codexHome", codexHome);
  if (typeof id !== "string" || !isUuid(id)) return null;
  const needle = id.toLowerCase();
  for await (const c of walkSessionsDesc(join(codexHome, SESSIONS_SUBDIR))) {
    if (c.name.toLowerCase().includes(needle)) return c.path;
  }
  return null;
}

/** Same as {@link findThreadPathById} for `archived_sessions/`. */
export async function findArchivedThreadPathById(
  codexHome: string,
  id: string,
): Promise<string | null> {
  requirePath("codexHome", codexHome);
  if (typeof id !== "string" || !isUuid(id)) return null;
  const needle = id.toLowerCase();
  for await (const c of walkFlatDesc(join(codexHome, ARCHIVED_SESSIONS_SUBDIR))) {
    if (c.name.toLowerCase().includes(needle)) return c.path;
  }
  return null;
}

/**
 * The newest live thread, optionally only one whose cwd matches `filterCwd` (the cwd of the
 * file's last `turn_context`, else of its first `session_meta`; compared after resolving).
 */
export async function findLatestThreadPath(
  codexHome: string,
  options: { filterCwd?: string } = {},
): Promise<string | null> {
  if (typeof codexHome !== "string" || codexHome === "") {
    throw new RolloutError("invalid_argument", "codexHome must be a non-empty path");
  }
  const want = options.filterCwd === undefined ? undefined : resolve(options.filterCwd);
  for await (const c of walkSessionsDesc(join(codexHome, SESSIONS_SUBDIR))) {
    if (want === undefined) return c.path;
    let loaded: Awaited<ReturnType<typeof loadRolloutItems>>;
    try {
      loaded = await loadRolloutItems(c.path);
    } catch {
      continue;
    }
    let cwd: string | undefined;
    for (let i = loaded.items.length - 1; i >= 0; i--) {
      const l = loaded.items[i];
      if (l?.type === "turn_context") {
        cwd = l.payload.cwd;
        break;
      }
    }
    cwd ??= loaded.sessionMeta?.cwd;
    if (cwd !== undefined && resolve(cwd) === want) return c.path;
  }
  return null;
}

import { join } from "node:path";
import { requirePath } from "../internal/args.js";
import { utcTimeOf } from "../internal/calendar.js";
import { isUuid } from "../internal/uuid.js";
import { RolloutError } from "../rollout-error.js";

/** Live threads live under `<codexHome>/sessions/YYYY/MM/DD/`. */
export const SESSIONS_SUBDIR = "sessions";
/** Archived threads live flat under `<codexHome>/archived_sessions/`. */
export const ARCHIVED_SESSIONS_SUBDIR = "archived_sessions";

const NAME_TS_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})$/;

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** Local-time parts used for the folder and file name of a new rollout. */
export function localRolloutStamp(time: Date): { y: string; m: string; d: string; name: string } {
  const y = pad(time.getFullYear(), 4);
  const m = pad(time.getMonth() + 1);
  const d = pad(time.getDate());
  const name = `${y}-${m}-${d}T${pad(time.getHours())}-${pad(time.getMinutes())}-${pad(time.getSeconds())}`;
  return { y, m, d, name };
}

/**
 * Path of a new rollout file: `<codexHome>/sessions/YYYY/MM/DD/rollout-<local ts>-<uuid>.jsonl`.
 *
 * @example rolloutPathFor("/home/u/.codex", "0196b0c2-7d1e-7a3b-9c4d-5e6f70819203", new Date())
 */
export function rolloutPathFor(codexHome: string, threadId: string, time: Date): string {
  requirePath("codexHome", codexHome);
  if (!(time instanceof Date) || Number.isNaN(time.getTime())) {
    throw new RolloutError("invalid_argument", "time must be a valid Date");
  }
  if (!isUuid(threadId)) throw new RolloutError("invalid_argument", "thread id must be a UUID");
  const s = localRolloutStamp(time);
  return join(codexHome, SESSIONS_SUBDIR, s.y, s.m, s.d, `rollout-${s.name}-${threadId}.jsonl`);
}

/** What a rollout file name says. `time` is the name's timestamp read as UTC. */
export interface RolloutFileName {
  /** `YYYY-MM-DDThh-mm-ss` as in the name. */
  stamp: string;
  /** The name's timestamp read as UTC, in Unix ms. */
  timeMs: number;
  /** The thread id (UUID). */
  threadId: string;
}

/**
 * Parses `rollout-<ts>-<uuid>.jsonl`; `null` when the name is not a rollout name.
 * Tries each `-` from the right until the suffix is a UUID.
 */
export function parseRolloutFileName(name: string): RolloutFileName | null {
  if (!name.startsWith("rollout-") || !name.endsWith(".jsonl")) return null;
  const core = name.slice("rollout-".length, -".jsonl".length);
  for (let i = core.lastIndexOf("-"); i > 0; i = core.lastIndexOf("-", i - 1)) {
    const suffix = core.slice(i + 1);
    if (!isUuid(suffix)) continue;
    const stamp = core.slice(0, i);
    const m = NAME_TS_RE.exec(stamp);
    if (m === null) return null;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const timeMs = utcTimeOf(y, mo, d, h, mi, s);
    if (Number.isNaN(timeMs)) return null;
    return { stamp, timeMs, threadId: suffix };
  }
  return null;
}

/** `rollout_date_parts`: the `YYYY`, `MM`, `DD` of a rollout file name, or `null`. */
export function rolloutDateParts(name: string): { y: string; m: string; d: string } | null {
  const parsed = parseRolloutFileName(name);
  if (parsed === null) return null;
  const rest = name.slice("rollout-".length);
  return { y: rest.slice(0, 4), m: rest.slice(5, 7), d: rest.slice(8, 10) };
}

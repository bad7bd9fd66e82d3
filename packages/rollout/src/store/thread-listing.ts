import { stat } from "node:fs/promises";
import { join } from "node:path";
import { formatRfc3339Seconds, instantToMillis, parseRfc3339 } from "@codex/wire";
import { utcTimeOf } from "../internal/calendar.js";
import {
  type Candidate,
  compareDesc,
  walkFlatDesc,
  walkSessionsDesc,
} from "../internal/session-walk.js";
import { isUuid } from "../internal/uuid.js";
import { RolloutError } from "../rollout-error.js";
import { type SessionSource, sameSessionSource } from "../schema/session-meta.js";
import { ARCHIVED_SESSIONS_SUBDIR, SESSIONS_SUBDIR } from "./rollout-path.js";
import { readHeadSummary, type ThreadItem, threadItemFromHead } from "./thread-summary.js";

/** Files examined per listing request at most. */
export const MAX_SCAN_FILES = 10_000;

/** Sources shown by interactive clients. */
export const INTERACTIVE_SESSION_SOURCES: readonly SessionSource[] = ["cli", "vscode"];

/** A page of threads. */
export interface ThreadsPage {
  items: ThreadItem[];
  /** `"<ts>|<uuid>"` of the last item, or `null` at the end. */
  nextCursor: string | null;
  numScannedFiles: number;
  reachedScanCap: boolean;
}

/** Options of {@link listThreads}. */
export interface ListThreadsOptions {
  /** `CODEX_HOME`. */
  codexHome: string;
  /** Items per page (1..10000). */
  pageSize: number;
  /** A `nextCursor` from the previous page. */
  cursor?: string | null;
  /** `created_at` (file-name time, default) or `updated_at` (mtime). */
  sortKey?: "created_at" | "updated_at";
  /** `desc` (newest first, default) or `asc`. */
  sortDirection?: "desc" | "asc";
  /** Empty/absent = all sources. */
  allowedSources?: readonly SessionSource[];
  /** Absent/empty = all providers. */
  modelProviders?: readonly string[] | null;
  /** Provider a meta without `model_provider` counts as (default `openai`). */
  defaultProvider?: string;
  /** Substring of the first user message. */
  searchTerm?: string;
  /** List `archived_sessions/` instead of `sessions/`. */
  archived?: boolean;
  /** Scan cap (default {@link MAX_SCAN_FILES}). */
  maxScanFiles?: number;
}

/** A decoded cursor. */
export interface ThreadCursor {
  timeMs: number;
  threadId: string;
}

const LEGACY_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})$/;

/** Parses `"<ts>|<uuid>"` (RFC 3339 or legacy `YYYY-MM-DDThh-mm-ss` read as UTC). */
export function parseThreadCursor(token: string): ThreadCursor {
  const bar = typeof token === "string" ? token.indexOf("|") : -1;
  if (bar < 0) throw new RolloutError("invalid_cursor", "cursor must look like <ts>|<uuid>");
  const ts = token.slice(0, bar);
  const id = token.slice(bar + 1);
  if (!isUuid(id)) throw new RolloutError("invalid_cursor", "cursor id must be a UUID");
  let timeMs = Number.NaN;
  const legacy = LEGACY_RE.exec(ts);
  if (legacy !== null) {
    // The wall-clock parts must name a real time (Date.UTC would roll them over).
    const [y, mo, d, h, mi, s] = legacy.slice(1, 7).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    timeMs = utcTimeOf(y, mo, d, h, mi, s);
  } else {
    const instant = parseRfc3339(ts);
    if (instant !== undefined) timeMs = instantToMillis(instant);
  }
  if (Number.isNaN(timeMs)) throw new RolloutError("invalid_cursor", "cursor time is invalid");
  return { timeMs, threadId: id.toLowerCase() };
}

/** Builds a cursor token. */
export function formatThreadCursor(timeMs: number, threadId: string): string {
  return `${formatRfc3339Seconds(timeMs)}|${threadId}`;
}

function sourceAllowed(
  source: SessionSource,
  allowed: readonly SessionSource[] | undefined,
): boolean {
  if (allowed === undefined || allowed.length === 0) return true;
  return allowed.some((a) => sameSessionSource(a, source));
}

function providerAllowed(
  provider: string | null,
  providers: readonly string[] | null | undefined,
  defaultProvider: string,
): boolean {
  if (providers === undefined || providers === null || providers.length === 0) return true;
  return providers.includes(provider ?? defaultProvider);
}

function validate(o: ListThreadsOptions): void {
  if (typeof o !== "object" || o === null) {
    throw new RolloutError("invalid_argument", "options must be an object");
  }
  if (typeof o.codexHome !== "string" || o.codexHome === "") {
    throw new RolloutError("invalid_argument", "codexHome must be a non-empty path");
  }
  if (!Number.isInteger(o.pageSize) || o.pageSize < 1 || o.pageSize > MAX_SCAN_FILES) {
    throw new RolloutError("invalid_argument", "pageSize must be an integer in 1..10000");
  }
  if (o.sortKey !== undefined && o.sortKey !== "created_at" && o.sortKey !== "updated_at") {
    throw new RolloutError("invalid_argument", "sortKey must be created_at or updated_at");
  }
  if (o.sortDirection !== undefined && o.sortDirection !== "desc" && o.sortDirection !== "asc") {
    throw new RolloutError("invalid_argument", "sortDirection must be desc or asc");
  }
  if (o.allowedSources !== undefined && !Array.isArray(o.allowedSources)) {
    throw new RolloutError("invalid_argument", "allowedSources must be an array");
  }
  if (
    o.modelProviders !== undefined &&
    o.modelProviders !== null &&
    (!Array.isArray(o.modelProviders) || !o.modelProviders.every((p) => typeof p === "string"))
  ) {
    throw new RolloutError("invalid_argument", "modelProviders must be an array of strings");
  }
  if (o.searchTerm !== undefined && typeof o.searchTerm !== "string") {
    throw new RolloutError("invalid_argument", "searchTerm must be a string");
  }
  if (o.maxScanFiles !== undefined && (!Number.isInteger(o.maxScanFiles) || o.maxScanFiles < 1)) {
    throw new RolloutError("invalid_argument", "maxScanFiles must be a positive integer");
  }
}

/**
 * Lists threads newest first (or oldest first), one page at a time. Only files whose head has
 * a `session_meta` and a `user_message` are listed. Cursors are stable: sessions created after
 * the first page never shift later pages.
 *
 * @example
 * ```ts
 * let page = await listThreads({ codexHome, pageSize: 25 });
 * while (page.nextCursor) page = await listThreads({ codexHome, pageSize: 25, cursor: page.nextCursor });
 * ```
 */
export async function listThreads(options: ListThreadsOptions): Promise<ThreadsPage> {
  validate(options);
  const anchor =
    options.cursor === undefined || options.cursor === null
      ? undefined
      : parseThreadCursor(options.cursor);
  const sortKey = options.sortKey ?? "created_at";
  const asc = options.sortDirection === "asc";
  const cap = options.maxScanFiles ?? MAX_SCAN_FILES;
  const root = join(
    options.codexHome,
    options.archived === true ? ARCHIVED_SESSIONS_SUBDIR : SESSIONS_SUBDIR,
  );
  const defaultProvider = options.defaultProvider ?? "openai";
  const page: ThreadsPage = {
    items: [],
    nextCursor: null,
    numScannedFiles: 0,
    reachedScanCap: false,
  };
  let lastKey: ThreadCursor | undefined;

  const after = (c: ThreadCursor): boolean => {
    if (anchor === undefined) return true;
    if (asc)
      return (
        c.timeMs > anchor.timeMs || (c.timeMs === anchor.timeMs && c.threadId > anchor.threadId)
      );
    return c.timeMs < anchor.timeMs || (c.timeMs === anchor.timeMs && c.threadId < anchor.threadId);
  };

  const consider = async (c: Candidate, mtimeMs?: number): Promise<boolean> => {
    const head = await readHeadSummary(c.path);
    let mtime = mtimeMs;
    const item0 = threadItemFromHead(c.path, head, undefined);
    if (item0 === null) return false;
    if (item0.source === null || !sourceAllowed(item0.source, options.allowedSources)) return false;
    if (!providerAllowed(item0.modelProvider, options.modelProviders, defaultProvider))
      return false;
    if (
      options.searchTerm !== undefined &&
      options.searchTerm !== "" &&
      !(item0.firstUserMessage ?? "").includes(options.searchTerm)
    ) {
      return false;
    }
    if (mtime === undefined) {
      try {
        mtime = (await stat(c.path)).mtimeMs;
      } catch {
        mtime = undefined;
      }
    }
    const item = threadItemFromHead(c.path, head, mtime) as ThreadItem;
    page.items.push(item);
    lastKey = { timeMs: c.timeMs, threadId: c.threadId };
    return page.items.length >= options.pageSize;
  };

  const walk = (): AsyncGenerator<Candidate> =>
    options.archived === true
      ? walkFlatDesc(root)
      : walkSessionsDesc(
          root,
          sortKey === "created_at" && !asc && anchor !== undefined
            ? anchor.timeMs
            : Number.POSITIVE_INFINITY,
        );

  if (sortKey === "created_at" && !asc) {
    for await (const c of walk()) {
      if (!after(c)) continue;
      if (page.numScannedFiles >= cap) {
        page.reachedScanCap = true;
        break;
      }
      page.numScannedFiles++;
      if (await consider(c)) break;
    }
  } else {
    // Collect every candidate up to the cap, sort, then fill the page.
    const all: (Candidate & { mtimeMs?: number })[] = [];
    for await (const c of walk()) {
      if (all.length >= cap) {
        page.reachedScanCap = true;
        break;
      }
      if (sortKey === "updated_at") {
        let m = 0;
        try {
          m = (await stat(c.path)).mtimeMs;
        } catch {
          m = 0;
        }
        all.push({ ...c, timeMs: Math.floor(m / 1000) * 1000, mtimeMs: m });
      } else {
        all.push(c);
      }
    }
    page.numScannedFiles = all.length;
    all.sort(compareDesc);
    if (asc) all.reverse();
    for (const c of all) {
      if (!after(c)) continue;
      if (await consider(c, c.mtimeMs)) break;
    }
  }
  const full = page.items.length >= options.pageSize;
  if (lastKey !== undefined && (full || page.reachedScanCap)) {
    page.nextCursor = formatThreadCursor(lastKey.timeMs, lastKey.threadId);
  }
  return page;
}

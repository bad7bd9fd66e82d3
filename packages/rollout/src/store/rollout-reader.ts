import { open } from "node:fs/promises";
import { type Logger, silentLogger } from "@codex/wire";
import { requirePath } from "../internal/args.js";
import { RolloutError } from "../rollout-error.js";
import type { ResponseItem } from "../schema/response-item.js";
import { parseRolloutLine, type RolloutLine } from "../schema/rollout-line.js";
import type { SessionMetaLine } from "../schema/session-meta.js";
import { compactedToResponseItem } from "../schema/turn-context.js";

/** Options of {@link loadRolloutItems}. */
export interface LoadRolloutOptions {
  /** Read size in bytes (default 4 MiB). */
  chunkSize?: number;
  /** Told about every skipped line (line number only, never its content). */
  logger?: Logger;
}

/** What {@link loadRolloutItems} recovered from a file. */
export interface LoadedRollout {
  /** Every well-formed line, in file order. */
  items: RolloutLine[];
  /** `id` of the first `session_meta` line; `undefined` when there is none. */
  threadId: string | undefined;
  /** The first `session_meta` payload. */
  sessionMeta: SessionMetaLine | undefined;
  /** Non-blank lines skipped because they are not JSON or not a `RolloutLine`. */
  parseErrors: number;
  /** 1-based line numbers of the skipped lines (at most the first 100). */
  badLines: number[];
  /** True when the file ends in an unterminated line that did not parse (a torn write). */
  tornTail: boolean;
}

const DEFAULT_CHUNK = 4 << 20;
const MAX_BAD_LINES = 100;

/**
 * Loads a rollout file: blank lines skipped, malformed or torn lines skipped and counted,
 * the first `session_meta` names the thread. Streams the file in large chunks.
 * Errors: `file_not_found`, `empty_file` (no non-blank line), `io_error`.
 *
 * @example const { items, threadId, parseErrors } = await loadRolloutItems(path);
 */
export async function loadRolloutItems(
  path: string,
  options: LoadRolloutOptions = {},
): Promise<LoadedRollout> {
  requirePath("path", path);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  if (!Number.isInteger(chunkSize) || chunkSize < 16) {
    throw new RolloutError("invalid_argument", "chunkSize must be an integer >= 16");
  }
  const logger = options.logger ?? silentLogger;
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, "r");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new RolloutError("file_not_found", "rollout file does not exist", { cause });
    }
    throw new RolloutError("io_error", "could not open the rollout file", { cause });
  }
  const out: LoadedRollout = {
    items: [],
    threadId: undefined,
    sessionMeta: undefined,
    parseErrors: 0,
    badLines: [],
    tornTail: false,
  };
  let nonBlank = 0;
  let lineNo = 0;
  const handle = (text: string, terminated: boolean): void => {
    lineNo++;
    let s = text;
    if (lineNo === 1 && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
    if (s.length === 0 || (s.charCodeAt(0) !== 123 && s.trim() === "")) return;
    nonBlank++;
    let line: RolloutLine;
    try {
      line = parseRolloutLine(JSON.parse(s));
    } catch {
      out.parseErrors++;
      if (out.badLines.length < MAX_BAD_LINES) out.badLines.push(lineNo);
      if (!terminated) out.tornTail = true;
      logger.warn("skipped a malformed rollout line", { line: lineNo });
      return;
    }
    if (line.type === "session_meta" && out.sessionMeta === undefined) {
      out.sessionMeta = line.payload;
      out.threadId = line.payload.id;
    }
    out.items.push(line);
  };
  try {
    let buf = Buffer.allocUnsafe(chunkSize);
    let carry = 0; // bytes of an unfinished line at the start of buf
    for (;;) {
      if (carry === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, carry, buf.length - carry, null);
      if (bytesRead === 0) break;
      const end = carry + bytesRead;
      const lastNl = buf.lastIndexOf(10, end - 1);
      if (lastNl < 0) {
        carry = end;
        continue;
      }
      // Decode whole lines only, so no UTF-8 sequence is ever split.
      const text = buf.toString("utf8", 0, lastNl);
      let start = 0;
      for (;;) {
        const nl = text.indexOf("\n", start);
        if (nl < 0) {
          handle(text.slice(start), true);
          break;
        }
        handle(text.slice(start, nl), true);
        start = nl + 1;
      }
      carry = end - lastNl - 1;
      buf.copy(buf, 0, lastNl + 1, end);
    }
    if (carry > 0) handle(buf.toString("utf8", 0, carry), false);
  } catch (cause) {
    throw new RolloutError("io_error", "could not read the rollout file", { cause });
  } finally {
    await fh.close().catch(() => {});
  }
  if (nonBlank === 0) throw new RolloutError("empty_file", "rollout file is empty");
  return out;
}

/** How a thread starts: fresh, or resumed from a rollout file. */
export type InitialHistory =
  | { type: "new" }
  | { type: "cleared" }
  | { type: "resumed"; conversationId: string; history: RolloutLine[]; rolloutPath: string }
  | { type: "forked"; items: RolloutLine[] };

/**
 * `get_rollout_history`: loads a file for resume. No thread id → `missing_thread_id`;
 * no items → `{type:"new"}`.
 */
export async function getRolloutHistory(
  path: string,
  options: LoadRolloutOptions = {},
): Promise<InitialHistory> {
  const loaded = await loadRolloutItems(path, options);
  if (loaded.threadId === undefined) {
    throw new RolloutError("missing_thread_id", "failed to parse thread ID from rollout file");
  }
  if (loaded.items.length === 0) return { type: "new" };
  return {
    type: "resumed",
    conversationId: loaded.threadId,
    history: loaded.items,
    rolloutPath: path,
  };
}

/** The model-visible history of loaded lines (`response_item`s, `compacted` as a message). */
export function responseHistory(lines: readonly RolloutLine[]): ResponseItem[] {
  const out: ResponseItem[] = [];
  for (const l of lines) {
    if (l.type === "response_item") out.push(l.payload);
    else if (l.type === "compacted") out.push(compactedToResponseItem(l.payload));
  }
  return out;
}

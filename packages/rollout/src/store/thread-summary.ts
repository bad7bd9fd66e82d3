import { open, stat } from "node:fs/promises";
import { formatRfc3339Seconds, isJsonObject } from "@codex/wire";
import { requirePath } from "../internal/args.js";
import type { EventMsg } from "../schema/event-msg.js";
import { parseRolloutLine, type RolloutLine } from "../schema/rollout-line.js";
import type { SessionMetaLine, SessionSource } from "../schema/session-meta.js";

/** Non-blank head lines read for a summary. */
export const HEAD_RECORD_LIMIT = 10;
/** Extra head lines read while a meta was seen but no user message yet. */
export const USER_EVENT_SCAN_LIMIT = 200;
/** Marker before the user's own words in harness-built prompts. */
export const USER_MESSAGE_BEGIN = "## My request for Codex:";

/** A listed thread (read from the head of its rollout file). */
export interface ThreadItem {
  path: string;
  threadId: string;
  firstUserMessage: string | null;
  cwd: string | null;
  gitBranch: string | null;
  gitSha: string | null;
  gitOriginUrl: string | null;
  source: SessionSource | null;
  agentNickname: string | null;
  agentRole: string | null;
  modelProvider: string | null;
  cliVersion: string | null;
  /** RFC 3339. */
  createdAt: string | null;
  /** File mtime, RFC 3339 whole seconds; else `createdAt`. */
  updatedAt: string | null;
}

/** What the head of a rollout file says. */
export interface HeadSummary {
  meta: SessionMetaLine | undefined;
  createdAt: string | undefined;
  firstUserMessage: string | undefined;
  sawUserMessage: boolean;
}

/** Strips everything through `## My request for Codex:` and trims. */
export function stripUserMessagePrefix(text: string): string {
  const i = text.indexOf(USER_MESSAGE_BEGIN);
  return (i >= 0 ? text.slice(i + USER_MESSAGE_BEGIN.length) : text).trim();
}

function visit(line: RolloutLine, s: HeadSummary): void {
  if (line.type === "session_meta") {
    if (s.meta === undefined) {
      s.meta = line.payload;
      if (s.createdAt === undefined) s.createdAt = line.payload.timestamp;
    }
  } else if (line.type === "response_item") {
    if (s.createdAt === undefined) s.createdAt = line.timestamp;
  } else if (line.type === "event_msg") {
    const message = userMessageText(line.payload);
    if (message === undefined) return;
    s.sawUserMessage = true;
    if (s.firstUserMessage === undefined) {
      const text = stripUserMessagePrefix(message);
      if (text !== "") s.firstUserMessage = text;
    }
  }
}

/**
 * The text of a user turn, however it was recorded: a `user_message` event (legacy files and our
 * recorder) or, as 0.169 records it, an `item_completed` event whose item is a `UserMessage`
 * (its `text` content parts, joined). `undefined` for any other event.
 */
function userMessageText(e: EventMsg): string | undefined {
  if (e.type === "user_message") return e.message;
  if (e.type !== "item_completed" || e.item.type !== "UserMessage") return undefined;
  const content = e.item.content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const c of content) {
    if (isJsonObject(c) && c.type === "text" && typeof c.text === "string") parts.push(c.text);
  }
  return parts.join("");
}

/**
 * Reads the head of a rollout file: up to {@link HEAD_RECORD_LIMIT} non-blank lines (bad lines
 * count), extended by {@link USER_EVENT_SCAN_LIMIT} while a meta was seen without a user
 * message. Never throws on content; unreadable files give an empty summary.
 */
export async function readHeadSummary(path: string): Promise<HeadSummary> {
  requirePath("path", path);
  const s: HeadSummary = {
    meta: undefined,
    createdAt: undefined,
    firstUserMessage: undefined,
    sawUserMessage: false,
  };
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, "r");
  } catch {
    return s;
  }
  try {
    let buf = Buffer.allocUnsafe(16384);
    let carry = 0;
    let seen = 0;
    const limit = (): number =>
      s.meta !== undefined && !s.sawUserMessage
        ? HEAD_RECORD_LIMIT + USER_EVENT_SCAN_LIMIT
        : HEAD_RECORD_LIMIT;
    const handle = (text: string): boolean => {
      const t = text.replace(/^\uFEFF/, "").trim();
      if (t === "") return true;
      seen++;
      try {
        visit(parseRolloutLine(JSON.parse(t)), s);
      } catch {
        // bad lines still count toward the limit
      }
      return seen < limit() && !(s.meta !== undefined && s.firstUserMessage !== undefined);
    };
    for (;;) {
      if (carry === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, carry, buf.length - carry, null);
      if (bytesRead === 0) {
        if (carry > 0) handle(buf.toString("utf8", 0, carry));
        break;
      }
      const end = carry + bytesRead;
      let start = 0;
      let more = true;
      for (let nl = buf.indexOf(10, start); nl >= 0 && nl < end; nl = buf.indexOf(10, start)) {
        more = handle(buf.toString("utf8", start, nl));
        start = nl + 1;
        if (!more) break;
      }
      if (!more) break;
      carry = end - start;
      buf.copy(buf, 0, start, end);
    }
  } catch {
    // unreadable tail: keep what we have
  } finally {
    await fh.close().catch(() => {});
  }
  return s;
}

/** Builds a {@link ThreadItem} from a head summary; `null` when the thread is hidden. */
export function threadItemFromHead(
  path: string,
  head: HeadSummary,
  mtimeMs: number | undefined,
): ThreadItem | null {
  const meta = head.meta;
  if (meta === undefined || !head.sawUserMessage) return null;
  const createdAt = head.createdAt ?? null;
  return {
    path,
    threadId: meta.id,
    firstUserMessage: head.firstUserMessage ?? null,
    cwd: meta.cwd,
    gitBranch: meta.git?.branch ?? null,
    gitSha: meta.git?.commit_hash ?? null,
    gitOriginUrl: meta.git?.repository_url ?? null,
    source: meta.source,
    agentNickname: meta.agent_nickname ?? null,
    agentRole: meta.agent_role ?? null,
    modelProvider: meta.model_provider,
    cliVersion: meta.cli_version,
    createdAt,
    updatedAt: mtimeMs === undefined ? createdAt : formatRfc3339Seconds(mtimeMs),
  };
}

/** Reads the summary of one rollout file; `null` when hidden (no meta or no user message). */
export async function readThreadItem(path: string): Promise<ThreadItem | null> {
  const head = await readHeadSummary(path);
  let mtime: number | undefined;
  try {
    mtime = (await stat(path)).mtimeMs;
  } catch {
    mtime = undefined;
  }
  return threadItemFromHead(path, head, mtime);
}

import { open } from "node:fs/promises";
import { isJsonObject } from "@codex/wire";
import { RolloutError } from "../rollout-error.js";

const TAIL_BYTES = 1 << 20;
const HEAD_CHUNK = 64 << 10;
const MAX_HEAD_BYTES = 64 << 20;

type FileHandle = Awaited<ReturnType<typeof open>>;

/**
 * Upstream's `ordinal_state_for_rollout`: the ordinal the next appended line must carry, or
 * `undefined` for a legacy file. A file is paginated when its first record is a `session_meta`
 * with `history_mode: "paginated"` (0.169); the sequence then continues from the last complete
 * record (torn or non-JSON lines skipped, as upstream's reverse scanner skips them). A paginated
 * file whose last record has no ordinal is refused (`invalid_line`): upstream cannot resume it
 * either ("final paginated rollout record … is missing an ordinal").
 */
export async function nextOrdinalOf(path: string): Promise<number | undefined> {
  const fh = await open(path, "r");
  try {
    if (!(await isPaginated(fh))) return undefined;
    const last = await lastRecord(fh);
    const ordinal = last?.ordinal;
    if (typeof ordinal !== "number" || !Number.isSafeInteger(ordinal) || ordinal < 0) {
      throw new RolloutError(
        "invalid_line",
        "the last record of a paginated rollout file has no ordinal; it cannot be appended to",
      );
    }
    return ordinal + 1;
  } finally {
    await fh.close().catch(() => {});
  }
}

async function isPaginated(fh: FileHandle): Promise<boolean> {
  const chunks: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(HEAD_CHUNK);
    const { bytesRead } = await fh.read(buf, 0, HEAD_CHUNK, pos);
    if (bytesRead === 0) break;
    const part = buf.subarray(0, bytesRead);
    chunks.push(part);
    pos += bytesRead;
    const text = Buffer.concat(chunks).toString("utf8");
    const lines = text.split("\n");
    // The first non-blank complete line is the first record.
    for (let i = 0; i < lines.length - 1; i++) {
      const line = (lines[i] ?? "").trim();
      if (line !== "") return headSaysPaginated(line);
    }
    if (pos >= MAX_HEAD_BYTES) return false;
  }
  const rest = Buffer.concat(chunks).toString("utf8").trim();
  return rest !== "" && headSaysPaginated(rest);
}

function headSaysPaginated(line: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(line.replace(/^\uFEFF/, ""));
  } catch {
    return false;
  }
  return (
    isJsonObject(value) &&
    value.type === "session_meta" &&
    isJsonObject(value.payload) &&
    value.payload.history_mode === "paginated"
  );
}

async function lastRecord(fh: FileHandle): Promise<Record<string, unknown> | undefined> {
  const { size } = await fh.stat();
  const len = Math.min(size, TAIL_BYTES);
  const buf = Buffer.allocUnsafe(len);
  const { bytesRead } = await fh.read(buf, 0, len, size - len);
  const lines = buf.toString("utf8", 0, bytesRead).split("\n");
  // The piece after the last "\n" is a torn line unless it is complete JSON (readers accept
  // that); a window that starts mid-file cuts its first piece, which is skipped.
  const first = len < size ? 1 : 0;
  for (let i = lines.length - 1; i >= first; i--) {
    const text = (lines[i] ?? "").trim();
    if (text === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    if (
      isJsonObject(value) &&
      typeof value.timestamp === "string" &&
      typeof value.type === "string"
    ) {
      return value;
    }
  }
  return undefined;
}

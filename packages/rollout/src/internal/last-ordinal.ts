import { open } from "node:fs/promises";
import { isJsonObject } from "@codex/wire";

const TAIL_BYTES = 1 << 20;

/**
 * The `ordinal` of the last complete, parseable line of a rollout file: a number when the file
 * is paginated (0.169 numbers every line), `undefined` for a legacy file (or one with no such
 * line in its last MiB). A torn last line is skipped, as readers skip it.
 */
export async function lastOrdinalOf(path: string): Promise<number | undefined> {
  const fh = await open(path, "r");
  try {
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
      if (!isJsonObject(value)) continue;
      const ordinal = value.ordinal;
      return typeof ordinal === "number" && Number.isSafeInteger(ordinal) && ordinal >= 0
        ? ordinal
        : undefined;
    }
    return undefined;
  } finally {
    await fh.close().catch(() => {});
  }
}

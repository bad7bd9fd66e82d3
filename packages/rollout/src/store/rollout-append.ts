import { open } from "node:fs/promises";
import { requirePath } from "../internal/args.js";
import { nextOrdinalOf } from "../internal/next-ordinal.js";
import { RolloutError } from "../rollout-error.js";
import {
  formatRolloutTimestamp,
  type RolloutItem,
  serializeRolloutLine,
  validateRolloutItem,
} from "../schema/rollout-line.js";

/**
 * One-shot append of an item to an existing rollout file (`append_rollout_item_to_path`): one
 * write call of one whole line, preceded by `\n` if the file ends in a torn line, numbered with the
 * next `ordinal` when the file's lines carry one (0.169). Items that are
 * never persisted (`{type:"other"}` response items) are rejected. While a {@link RolloutRecorder}
 * owns the file, record through it instead.
 *
 * @example await appendRolloutItemToPath(path, { type: "event_msg", payload: { type: "context_compacted" } });
 */
export async function appendRolloutItemToPath(
  path: string,
  item: RolloutItem,
  options: { now?: () => number } = {},
): Promise<void> {
  requirePath("path", path);
  validateRolloutItem(item);
  const ts = formatRolloutTimestamp((options.now ?? Date.now)());
  if (serializeRolloutLine(ts, item) === null) {
    throw new RolloutError("invalid_argument", "this item is never persisted");
  }
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, "r+");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new RolloutError(
      code === "ENOENT" ? "file_not_found" : "io_error",
      "could not open the rollout file for append",
      { cause },
    );
  }
  try {
    const size = (await fh.stat()).size;
    let prefix = "";
    if (size > 0) {
      const lastByte = Buffer.alloc(1);
      await fh.read(lastByte, 0, 1, size - 1);
      if (lastByte[0] !== 0x0a) prefix = "\n";
    }
    // A paginated (0.169) file continues its ordinal sequence; a legacy file stays legacy.
    const ordinal = await nextOrdinalOf(path);
    const line = serializeRolloutLine(ts, item, ordinal === undefined ? {} : { ordinal });
    const data = Buffer.from(prefix + (line ?? ""), "utf8");
    const { bytesWritten } = await fh.write(data, 0, data.length, size);
    if (bytesWritten !== data.length) throw new Error("short write");
  } catch (cause) {
    if (cause instanceof RolloutError) throw cause;
    throw new RolloutError("io_error", "could not append to the rollout file", { cause });
  } finally {
    await fh.close().catch(() => {});
  }
}

import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { CliError } from "../cli-error.js";

/**
 * Writes `--output-last-message`: the last agent message (nothing after it, no newline), or an
 * empty file when the turn produced none, as 0.169 does. Atomic: the text goes to a temporary
 * file beside the target, which is then renamed over it, so a reader never sees half a message
 * and a failed write leaves the old file alone.
 *
 * @throws {CliError} (exit 1) with the line to print.
 */
export async function writeLastMessageFile(
  path: string,
  message: string | undefined,
): Promise<void> {
  const target = resolve(path);
  const temporary = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
  );
  try {
    await writeFile(temporary, message ?? "", { encoding: "utf8", flag: "wx" });
    await rename(temporary, target);
  } catch (cause) {
    await rm(temporary, { force: true }).catch(() => {});
    const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? "write failed";
    throw new CliError("failed", `Failed to write last message file ${path}: ${reason}`, {
      cause,
    });
  }
}

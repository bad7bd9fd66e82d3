import { readFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { CliError } from "../cli-error.js";

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
};

/** Largest image `--image` attaches (the Responses API refuses bigger inline images anyway). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** A turn input item of the thread engine (protocol `UserInput`). */
export type ExecUserInput =
  | { readonly type: "text"; readonly text: string; readonly text_elements: [] }
  | { readonly type: "image"; readonly url: string };

/**
 * An `--image` file as a `data:` URL image input (what upstream sends for a local image).
 *
 * @throws {CliError} (exit 1) with the line to print.
 */
export async function imageInput(path: string, cwd: string): Promise<ExecUserInput> {
  const mime = MIME_BY_EXTENSION[extname(path).toLowerCase()];
  if (mime === undefined) {
    throw new CliError("usage", `Error: --image ${path}: not a PNG, JPEG, GIF or WebP file`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(cwd, path));
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? "unreadable";
    throw new CliError("usage", `Error: --image ${path}: ${reason}`, { cause });
  }
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw new CliError("usage", `Error: --image ${path}: larger than 20 MiB`);
  }
  return { type: "image", url: `data:${mime};base64,${bytes.toString("base64")}` };
}

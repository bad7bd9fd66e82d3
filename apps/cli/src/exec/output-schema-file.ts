import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { isJsonObject, type JsonObject } from "@codex/wire";
import { CliError } from "../cli-error.js";

/**
 * The JSON Schema of `--output-schema <FILE>` (relative to the working directory), read before
 * anything goes on the network: the model's final message must follow it (`text.format`,
 * strict). A file that cannot be read, is not JSON or is not a JSON object is one error line.
 */
export async function readOutputSchema(file: string, cwd: string): Promise<JsonObject> {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? "error";
    throw new CliError("failed", `Error: failed to read output schema file ${path} (${code}).`, {
      cause,
    });
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (cause) {
    throw new CliError("failed", `Error: output schema file ${path} is not valid JSON.`, { cause });
  }
  if (!isJsonObject(schema)) {
    throw new CliError("failed", `Error: output schema file ${path} must hold a JSON object.`);
  }
  // JSON.parse yields only JSON values
  return schema as JsonObject;
}

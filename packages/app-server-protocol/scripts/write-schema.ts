/**
 * Writes the generated JSON Schema files (draft-07, upstream layout) into `schema/`, replacing
 * whatever was there. Run with `pnpm --filter @codex/app-server-protocol write-schema`.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateJsonSchemaFiles } from "../src/json-schema-files.js";

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), "..", "schema");
const files = generateJsonSchemaFiles();
await rm(schemaDir, { recursive: true, force: true });
for (const [path, text] of files) {
  const target = join(schemaDir, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, text, "utf8");
}
console.log(`wrote ${files.size} schema files to ${schemaDir}`);

/**
 * Writes the generated JSON Schema files (draft-07, upstream layout) into `schema/`, replacing
 * whatever was there, and lists each of them as an explicit subpath in package.json's `exports`
 * (no wildcard). Run with `pnpm --filter @codex/app-server-protocol write-schema`.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateJsonSchemaFiles } from "../src/json-schema-files.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const schemaDir = join(root, "schema");
const files = generateJsonSchemaFiles();
await rm(schemaDir, { recursive: true, force: true });
for (const [path, text] of files) {
  const target = join(schemaDir, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, text, "utf8");
}
console.log(`wrote ${files.size} schema files to ${schemaDir}`);

const packageFile = join(root, "package.json");
const pkg = JSON.parse(await readFile(packageFile, "utf8")) as { exports: Record<string, unknown> };
const { ".": entry, "./package.json": self } = pkg.exports;
const schemaPaths = [...files.keys()]
  .sort()
  .map((path) => [`./schema/${path}`, `./schema/${path}`]);
pkg.exports = { ".": entry, ...Object.fromEntries(schemaPaths), "./package.json": self };
await writeFile(packageFile, `${JSON.stringify(pkg, null, 2)}\n`, "utf8");
console.log(`listed ${files.size} schema subpaths in ${packageFile}`);

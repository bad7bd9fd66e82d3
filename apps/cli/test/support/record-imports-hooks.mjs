// Module hooks of record-imports.mjs: each resolved URL is appended to the file, synchronously,
// before the module is loaded.
import { appendFileSync } from "node:fs";

let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(file, `${result.url}\n`);
  return result;
}

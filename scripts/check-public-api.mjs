#!/usr/bin/env node
// Holds every package's public API to its committed list, so a new export is a reviewed change.
//
// For each package with a `public-api.json`, the names each subpath of its exports map really
// exports (read with the TypeScript compiler from the `src/` entry behind `./dist/…`) must equal
// the committed `{ "<subpath>": { "values": [...], "types": [...] } }`, and the README's
// "## Public API" section must name exactly those names, each in backticks.
//
//   node scripts/check-public-api.mjs            check every package (run by `pnpm lint`)
//   node scripts/check-public-api.mjs --write X  rewrite packages/X/public-api.json from the code
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";

const ROOTS = ["packages", "apps"];
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function packageDirs() {
  return ROOTS.flatMap((root) =>
    readdirSync(root)
      .map((name) => join(root, name))
      .filter((dir) => existsSync(join(dir, "package.json"))),
  );
}

/** Subpath → src entry file, for every conditions-object export of the package. */
function entries(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const out = {};
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target !== "object" || target === null) continue;
    const built = target.default ?? target.import;
    if (typeof built !== "string" || !built.startsWith("./dist/")) continue;
    out[subpath] = resolve(dir, built.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"));
  }
  return out;
}

function actualApi(dir) {
  const byPath = entries(dir);
  const files = Object.values(byPath).filter((file) => existsSync(file));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
    resolveJsonModule: true,
  });
  const checker = program.getTypeChecker();
  const api = {};
  for (const [subpath, file] of Object.entries(byPath)) {
    const source = program.getSourceFile(file);
    const symbol = source && checker.getSymbolAtLocation(source);
    if (!symbol) throw new Error(`${dir}: cannot read the entry ${file} of "${subpath}"`);
    const values = [];
    const types = [];
    for (const exported of checker.getExportsOfModule(symbol)) {
      const target =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const typeOnly = exported.declarations?.some(
        (d) =>
          ts.isTypeOnlyExportDeclaration?.(d) ||
          (ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly)),
      );
      if (target.flags & ts.SymbolFlags.Value && !typeOnly) values.push(exported.name);
      else types.push(exported.name);
    }
    api[subpath] = { values: values.sort(), types: types.sort() };
  }
  return api;
}

function readmeNames(dir) {
  const file = join(dir, "README.md");
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, "utf8");
  const start = text.search(/^## Public API\s*$/m);
  if (start < 0) return undefined;
  const rest = text.slice(start).split("\n").slice(1);
  const end = rest.findIndex((line) => /^## /.test(line));
  const section = (end < 0 ? rest : rest.slice(0, end)).join("\n");
  const names = new Set();
  for (const match of section.matchAll(/`([^`\n]+)`/g)) {
    const name = match[1].replace(/\(\)$/, "");
    if (IDENTIFIER.test(name)) names.add(name);
  }
  return names;
}

const args = process.argv.slice(2);
if (args[0] === "--write") {
  for (const name of args.slice(1)) {
    const dir = ROOTS.map((root) => join(root, name)).find((d) => existsSync(d));
    if (!dir) throw new Error(`no package folder named ${name}`);
    writeFileSync(join(dir, "public-api.json"), `${JSON.stringify(actualApi(dir), null, 2)}\n`);
    console.log(`wrote ${join(dir, "public-api.json")}`);
  }
  process.exit(0);
}

const problems = [];
for (const dir of packageDirs()) {
  const pinnedFile = join(dir, "public-api.json");
  if (!existsSync(pinnedFile)) {
    if (Object.keys(entries(dir)).length > 0 && !dir.startsWith("apps/")) {
      problems.push(`${dir}: no public-api.json (write it with --write and review it)`);
    }
    continue;
  }
  const pinned = JSON.parse(readFileSync(pinnedFile, "utf8"));
  const actual = actualApi(dir);
  const show = (names) => names.join(", ");
  for (const subpath of new Set([...Object.keys(pinned), ...Object.keys(actual)])) {
    for (const kind of ["values", "types"]) {
      const want = pinned[subpath]?.[kind] ?? [];
      const have = actual[subpath]?.[kind] ?? [];
      const added = have.filter((n) => !want.includes(n));
      const removed = want.filter((n) => !have.includes(n));
      if (added.length)
        problems.push(`${dir} "${subpath}": ${kind} exported but not pinned: ${show(added)}`);
      if (removed.length)
        problems.push(`${dir} "${subpath}": ${kind} pinned but not exported: ${show(removed)}`);
    }
  }
  const documented = readmeNames(dir);
  if (!documented) {
    problems.push(
      `${dir}: README.md needs a "## Public API" section naming every export in backticks`,
    );
    continue;
  }
  const all = new Set(Object.values(pinned).flatMap((api) => [...api.values, ...api.types]));
  const missing = [...all].filter((n) => !documented.has(n));
  const extra = [...documented].filter((n) => !all.has(n));
  if (missing.length)
    problems.push(`${dir}: README "## Public API" does not name: ${show(missing)}`);
  if (extra.length) {
    problems.push(
      `${dir}: README "## Public API" names what is not exported (in backticks): ${show(extra)}`,
    );
  }
}
if (problems.length > 0) {
  console.error(`public API checks failed:\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log("public API checks passed");

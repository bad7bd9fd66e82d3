#!/usr/bin/env node
// The package gate (`pnpm check:packages`, run by `pnpm lint`): every published (non-private)
// workspace package is packed once with `pnpm pack` (offline; `workspace:` ranges become real
// versions, exactly what would be published), then the tarball is checked by
//   publint --strict              (exports map, files, types conditions: warnings are errors)
//   attw --profile esm-only       (are the types right for ESM consumers: node16 and bundler)
// plus the few repo conventions neither tool knows (DESIGN.md, "Packaging"): ESM `type`,
// `sideEffects: false`, `engines.node`, a README and a CHANGELOG in the tarball, `src` shipped
// (so declaration and source maps resolve) and no test or bench file shipped.
// Needs built packages: `pnpm check:packages` builds first. Exits 1 listing every failure.
//
//   node scripts/check-packages.mjs            every published package
//   node scripts/check-packages.mjs login http only these folders
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "..");
const ROOTS = ["packages", "apps"];
const only = process.argv.slice(2);

const dirs = ROOTS.flatMap((root) =>
  readdirSync(join(ROOT, root)).map((name) => join(root, name)),
).filter((dir) => {
  if (!existsSync(join(ROOT, dir, "package.json"))) return false;
  if (only.length > 0) return only.some((name) => dir.endsWith(`/${name}`));
  return JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8")).private !== true;
});

const bin = (name) => join(ROOT, "node_modules", ".bin", name);
const tmp = mkdtempSync(join(tmpdir(), "codex-check-packages-"));

/** Runs a command; resolves to its output and whether it succeeded (never rejects on exit 1). */
async function tool(file, args, cwd = ROOT) {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", npm_config_offline: "true" },
    });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (err) {
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}${err.message}` };
  }
}

function conventions(dir, pkg, shipped) {
  const problems = [];
  if (!/^@codex\/[a-z0-9-]+$/.test(pkg.name ?? "")) problems.push("name must be @codex/<name>");
  if (pkg.type !== "module") problems.push('"type" must be "module" (ESM only)');
  if (pkg.sideEffects !== false) problems.push('"sideEffects" must be false');
  if (pkg.engines?.node !== ">=20.19") problems.push('engines.node must be ">=20.19"');
  for (const file of ["package.json", "README.md", "CHANGELOG.md"]) {
    if (!shipped.includes(file)) problems.push(`the tarball has no ${file}`);
  }
  if (!shipped.some((f) => f.startsWith("dist/"))) problems.push("the tarball has no dist/");
  if (!shipped.some((f) => f.startsWith("src/"))) {
    problems.push("the tarball has no src/ (the declaration and source maps point into it)");
  }
  const stray = shipped.filter((f) => /\.(test|bench)\./.test(f));
  if (stray.length > 0) problems.push(`the tarball ships tests: ${stray.join(", ")}`);
  return problems.map((p) => `${dir}: ${p}`);
}

async function check(dir) {
  const pkg = JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8"));
  const dest = mkdtempSync(join(tmp, "pack-"));
  const packed = await tool("pnpm", ["pack", "--pack-destination", dest], join(ROOT, dir));
  if (!packed.ok) return [`${dir}: pnpm pack failed\n${packed.output}`];
  const tarball = readdirSync(dest).find((f) => f.endsWith(".tgz"));
  if (!tarball) return [`${dir}: pnpm pack wrote no tarball`];
  const path = join(dest, tarball);
  const listing = await tool("tar", ["-tzf", path]);
  const shipped = listing.output
    .split("\n")
    .filter((line) => line.startsWith("package/"))
    .map((line) => line.slice("package/".length));
  const [publint, attw] = await Promise.all([
    tool(bin("publint"), ["run", "--strict", path]),
    tool(bin("attw"), [path, "--profile", "esm-only", "--format", "table-flipped", "--no-color"]),
  ]);
  const problems = conventions(dir, pkg, shipped);
  if (!publint.ok) problems.push(`${dir}: publint --strict failed\n${publint.output.trim()}`);
  if (!attw.ok) problems.push(`${dir}: attw --profile esm-only failed\n${attw.output.trim()}`);
  return problems;
}

const problems = [];
try {
  // Two at a time: packing and type analysis are CPU-bound and the machines have two cores.
  const queue = [...dirs];
  const worker = async () => {
    for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
      problems.push(...(await check(dir)));
      console.log(`checked ${dir}`);
    }
  };
  await Promise.all([worker(), worker()]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(`package checks failed:\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log(`package checks passed (publint --strict, attw esm-only): ${dirs.length} packages`);

#!/usr/bin/env node
// Checks the packaging rules every workspace package follows (DESIGN.md, "Packaging"):
// ESM, sideEffects false, engines, an exports map with `types` first and ./package.json exported,
// files limited to dist, a README, and a version of its own. Exits 1 listing every violation.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const problems = [];
const roots = ["packages", "apps"];
for (const root of roots) {
  for (const name of readdirSync(root)) {
    const dir = join(root, name);
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    const fail = (what) => problems.push(`${dir}: ${what}`);
    if (!pkg.name?.startsWith("@codex/")) fail("name must be @codex/<name>");
    if (!/^\d+\.\d+\.\d+/.test(pkg.version ?? "")) fail("needs its own semver version");
    if (pkg.type !== "module") fail('"type" must be "module" (ESM only)');
    if (pkg.sideEffects !== false) fail('"sideEffects" must be false');
    if (pkg.engines?.node !== ">=20.19") fail('engines.node must be ">=20.19"');
    if (!existsSync(join(dir, "README.md"))) fail("README.md is missing");
    if (!pkg.files?.includes("dist")) fail('"files" must include "dist"');
    const exportsMap = pkg.exports;
    if (typeof exportsMap !== "object" || exportsMap === null) {
      fail("needs an exports map");
      continue;
    }
    if (exportsMap["./package.json"] !== "./package.json") fail("must export ./package.json");
    for (const [subpath, target] of Object.entries(exportsMap)) {
      if (typeof target === "string") {
        if (!target.endsWith(".json") && !target.includes("*")) {
          fail(`export ${subpath} must be a conditions object with "types" first`);
        }
        continue;
      }
      const keys = Object.keys(target);
      if (keys[0] !== "types") fail(`export ${subpath}: "types" must be the first condition`);
      if (!keys.includes("default") && !keys.includes("import")) {
        fail(`export ${subpath}: needs a "default" or "import" condition`);
      }
      for (const [condition, path] of Object.entries(target)) {
        if (typeof path === "string" && !path.startsWith("./dist/")) {
          fail(`export ${subpath} (${condition}) must point into ./dist/`);
        }
      }
    }
  }
}
if (problems.length > 0) {
  console.error(`package checks failed:\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log("package checks passed");

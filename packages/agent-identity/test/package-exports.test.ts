// The export list itself is pinned in public-api.json (src/public-api.test.ts and
// scripts/check-public-api.mjs); this file checks the package.json shape only.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  type: string;
  sideEffects: boolean;
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
};

it("is ESM with a types-first exports map that also exports package.json", () => {
  expect(pkg.type).toBe("module");
  expect(pkg.sideEffects).toBe(false);
  expect(Object.keys(pkg.exports)).toEqual([".", "./package.json"]);
  expect(Object.keys(pkg.exports["."] as object)).toEqual(["types", "default"]);
  // A leaf: of the workspace packages, only the shared leaf under every package.
  expect(Object.keys(pkg.dependencies).filter((name) => name.startsWith("@codex/"))).toEqual([
    "@codex/wire",
  ]);
});

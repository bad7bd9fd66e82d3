// The package's public surface, pinned: the runtime names of each subpath equal the committed
// public-api.json, and the exports map is ESM with types first, a ./testing subpath and
// ./package.json.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as entry from "./index.js";
import * as testing from "./testing/index.js";

const pinned = JSON.parse(
  readFileSync(new URL("../public-api.json", import.meta.url), "utf8"),
) as Record<string, { values: string[] }>;
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

describe("@codex/login public API", () => {
  it("exports exactly the pinned runtime names", () => {
    expect(Object.keys(entry).sort()).toEqual(pinned["."]?.values);
    expect(Object.keys(testing).sort()).toEqual(pinned["./testing"]?.values);
  });

  it("has an ESM exports map with types first, a ./testing subpath and ./package.json", () => {
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
    expect(Object.keys(pkg.exports)).toEqual([".", "./testing", "./package.json"]);
    for (const key of [".", "./testing"]) {
      expect(Object.keys(pkg.exports[key])[0]).toBe("types");
    }
    expect(pkg.exports["./testing"]).toEqual({
      types: "./dist/testing/index.d.ts",
      default: "./dist/testing/index.js",
    });
  });

  it("keeps test helpers out of the main entry", () => {
    for (const name of pinned["./testing"]?.values ?? []) {
      expect(entry, name).not.toHaveProperty(name);
    }
  });
});

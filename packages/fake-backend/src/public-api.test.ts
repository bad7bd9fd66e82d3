import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as entry from "./index.js";

const pinned = JSON.parse(
  readFileSync(new URL("../public-api.json", import.meta.url), "utf8"),
) as Record<string, { values: string[] }>;

describe("public API", () => {
  it("exports exactly the pinned runtime names", () => {
    expect(Object.keys(entry).sort()).toEqual(pinned["."]?.values);
  });

  it("has an ESM exports map with types first and package.json exported", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      type: string;
      private: boolean;
      exports: Record<string, unknown>;
    };
    expect(pkg.type).toBe("module");
    expect(pkg.private).toBe(true);
    expect(Object.keys(pkg.exports)).toEqual([".", "./package.json"]);
    expect(Object.keys(pkg.exports["."] as object)).toEqual(["types", "default"]);
  });
});

import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { cliVersion } from "./version.js";

it("is upstream's format with this package's version", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  expect(cliVersion()).toBe(`codex-cli ${pkg.version}`);
});

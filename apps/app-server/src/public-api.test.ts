import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import * as entry from "./index.js";

const pinned = JSON.parse(
  readFileSync(new URL("../public-api.json", import.meta.url), "utf8"),
) as Record<string, { values: string[] }>;

it("exports exactly the pinned runtime names", () => {
  expect(Object.keys(entry).sort()).toEqual(pinned["."]?.values);
});

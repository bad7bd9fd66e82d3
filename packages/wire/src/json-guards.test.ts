import { expect, it } from "vitest";
import { isJsonObject } from "./json-guards.js";

it.each([
  [{}, true],
  [{ a: 1 }, true],
  [Object.create(null), true],
  [[], false],
  [null, false],
  [undefined, false],
  ["{}", false],
  [1, false],
])("isJsonObject(%j) is %s", (value, expected) => {
  expect(isJsonObject(value)).toBe(expected);
});

import { expect, it } from "vitest";
import { wirePlanType } from "./plan-types.js";

it.each([
  ["plus", "plus"],
  ["Pro", "pro"],
  ["promax", "promax"],
  ["edu_plus", "edu_plus"],
  ["galaxy", "unknown"],
  ["", "unknown"],
])("wirePlanType(%j) is %j", (raw, wire) => {
  expect(wirePlanType(raw)).toBe(wire);
});

import { describe, expect, it } from "vitest";
import {
  isWorkspacePlan,
  KNOWN_PLAN_TYPES,
  planTypeFromClaim,
  planTypeFromRawValue,
  planTypeToString,
} from "./plan-type.js";

describe("plan types", () => {
  it("knows every upstream plan, aliases included", () => {
    for (const p of KNOWN_PLAN_TYPES) expect(planTypeFromClaim(p)).toEqual({ known: p });
    expect(planTypeFromClaim("hc")).toEqual({ known: "enterprise" });
    expect(planTypeFromClaim("education")).toEqual({ known: "edu" });
  });
  it("matches claims case-sensitively, raw host values lower-cased", () => {
    expect(planTypeFromClaim("PRO")).toEqual({ unknown: "PRO" });
    expect(planTypeFromRawValue("PRO")).toEqual({ known: "pro" });
    expect(planTypeToString({ unknown: "mystery" })).toBe("mystery");
  });
  it("classifies workspace plans", () => {
    expect(isWorkspacePlan({ known: "business" })).toBe(true);
    expect(isWorkspacePlan({ known: "plus" })).toBe(false);
    expect(isWorkspacePlan({ unknown: "team" })).toBe(false);
  });
});

/** The plan types 0.169's schema knows; any other plan is reported as `unknown`, as upstream does. */
export const WIRE_PLAN_TYPES = [
  "free",
  "go",
  "plus",
  "pro",
  "prolite",
  "promax",
  "team",
  "self_serve_business_prolite",
  "self_serve_business_usage_based",
  "business",
  "ent26",
  "enterprise_cbp_automation",
  "enterprise_cbp_usage_based",
  "enterprise",
  "edu",
  "edu_plus",
  "edu_pro",
  "sci",
  "sci_plus",
  "unknown",
] as const;

/** A plan type as the wire carries it. */
export type WirePlanType = (typeof WIRE_PLAN_TYPES)[number];

/**
 * A raw plan value (lower-cased) as a wire plan type, `unknown` when 0.169 does not know it.
 *
 * @example
 * wirePlanType("Plus"); // "plus"
 * wirePlanType("galaxy"); // "unknown"
 */
export function wirePlanType(raw: string): WirePlanType {
  const value = raw.toLowerCase();
  return (WIRE_PLAN_TYPES as readonly string[]).includes(value)
    ? (value as WirePlanType)
    : "unknown";
}

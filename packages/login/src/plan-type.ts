/** Plan values known to upstream (`PlanType`), matched exactly in id tokens. */
export const KNOWN_PLAN_TYPES = [
  "free",
  "go",
  "plus",
  "pro",
  "prolite",
  "team",
  "self_serve_business_usage_based",
  "business",
  "enterprise_cbp_usage_based",
  "enterprise",
  "edu",
] as const;

/** A known ChatGPT plan. */
export type KnownPlanType = (typeof KNOWN_PLAN_TYPES)[number];

/**
 * A ChatGPT plan: a known value, or `{ unknown: raw }` for anything else (upstream's
 * untagged `PlanType::Unknown(raw)`).
 */
export type PlanType = { readonly known: KnownPlanType } | { readonly unknown: string };

const ALIASES: Readonly<Record<string, KnownPlanType>> = { hc: "enterprise", education: "edu" };
const WORKSPACE_PLANS: ReadonlySet<KnownPlanType> = new Set<KnownPlanType>([
  "team",
  "self_serve_business_usage_based",
  "business",
  "enterprise_cbp_usage_based",
  "enterprise",
  "edu",
]);

/**
 * Parses a plan claim exactly as it appears in an id token (case-sensitive, aliases `hc` and
 * `education` accepted).
 *
 * @example
 * ```ts
 * planTypeFromClaim("pro"); // { known: "pro" }
 * planTypeFromClaim("Pro"); // { unknown: "Pro" }
 * ```
 */
export function planTypeFromClaim(raw: string): PlanType {
  if ((KNOWN_PLAN_TYPES as readonly string[]).includes(raw)) {
    return { known: raw as KnownPlanType };
  }
  const alias = ALIASES[raw];
  return alias ? { known: alias } : { unknown: raw };
}

/**
 * Parses a host-supplied plan (upstream `from_raw_value`): lower-cased first, then as a claim.
 *
 * @example
 * ```ts
 * planTypeFromRawValue("PRO"); // { known: "pro" }
 * ```
 */
export function planTypeFromRawValue(raw: string): PlanType {
  return planTypeFromClaim(raw.toLowerCase());
}

/** The wire string of a plan (the known value, or the raw unknown value). */
export function planTypeToString(plan: PlanType): string {
  return "known" in plan ? plan.known : plan.unknown;
}

/** True for workspace plans: team, both usage-based plans, business, enterprise, edu. */
export function isWorkspacePlan(plan: PlanType): boolean {
  return "known" in plan && WORKSPACE_PLANS.has(plan.known);
}

import { z } from "zod";
import { PlanType } from "./account.js";
import { named } from "./internal/schema-registry.js";

/** One rate-limit window. `resetsAt` is in Unix seconds. */
export const RateLimitWindow = named(
  "RateLimitWindow",
  z.looseObject({
    usedPercent: z.number(),
    windowDurationMins: z.int().nullable().optional(),
    resetsAt: z.int().nullable().optional(),
  }),
);
/** One rate-limit window. */
export type RateLimitWindow = z.infer<typeof RateLimitWindow>;

/**
 * A rate-limit snapshot. Every field is optional (`account/rateLimits/updated` is sparse: merge it
 * into the last read). Later upstream fields pass through untouched; `credits` is not modelled.
 */
export const RateLimitSnapshot = named(
  "RateLimitSnapshot",
  z.looseObject({
    limitId: z.string().nullable().optional(),
    limitName: z.string().nullable().optional(),
    primary: RateLimitWindow.nullable().optional(),
    secondary: RateLimitWindow.nullable().optional(),
    credits: z.unknown().optional(),
    planType: PlanType.nullable().optional(),
  }),
);
/** A rate-limit snapshot. */
export type RateLimitSnapshot = z.infer<typeof RateLimitSnapshot>;

/** Result of `account/rateLimits/read`. */
export const GetAccountRateLimitsResponse = named(
  "GetAccountRateLimitsResponse",
  z.object({
    ordinaryUsageAllowed: z.boolean().nullable().optional(),
    rateLimits: RateLimitSnapshot,
    rateLimitsByLimitId: z.record(z.string(), RateLimitSnapshot).nullable().optional(),
  }),
);
/** Result of `account/rateLimits/read`. */
export type GetAccountRateLimitsResponse = z.infer<typeof GetAccountRateLimitsResponse>;

/** Params of `account/rateLimits/updated`. */
export const AccountRateLimitsUpdatedNotification = named(
  "AccountRateLimitsUpdatedNotification",
  z.object({ rateLimits: RateLimitSnapshot }),
);
/** Params of `account/rateLimits/updated`. */
export type AccountRateLimitsUpdatedNotification = z.infer<
  typeof AccountRateLimitsUpdatedNotification
>;

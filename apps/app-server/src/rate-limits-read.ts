import type { HttpClient } from "@codex/http";
import { z } from "zod";
import { AppServerError } from "./app-server-error.js";
import { chatgptBackendUrl } from "./chatgpt-backend-url.js";
import { wirePlanType } from "./plan-types.js";

const I32_MAX = 2_147_483_647;

const windowSchema = z.looseObject({
  used_percent: z.number(),
  limit_window_seconds: z.int().nullable().optional(),
  reset_after_seconds: z.number().nullable().optional(),
  reset_at: z.int().nullable().optional(),
});

const rateLimitSchema = z.looseObject({
  primary_window: windowSchema.nullable().optional(),
  secondary_window: windowSchema.nullable().optional(),
});

const usageSchema = z.looseObject({
  plan_type: z.string().nullable().optional(),
  rate_limit: rateLimitSchema.nullable().optional(),
  credits: z
    .looseObject({
      has_credits: z.boolean(),
      unlimited: z.boolean(),
      balance: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  additional_rate_limits: z
    .array(
      z.looseObject({
        limit_name: z.string().nullable().optional(),
        metered_feature: z.string(),
        rate_limit: rateLimitSchema.nullable().optional(),
      }),
    )
    .nullable()
    .optional(),
});

type Window = z.infer<typeof windowSchema>;

/** One window as `account/rateLimits/read` reports it. */
export type RateLimitWindowView = {
  usedPercent: number;
  windowDurationMins: number | null;
  resetsAt: number | null;
};

/** One snapshot as `account/rateLimits/read` reports it (0.169's members, in its order). */
export type RateLimitSnapshotView = {
  limitId: string;
  limitName: string | null;
  normalModelSlug: null;
  primary: RateLimitWindowView | null;
  secondary: RateLimitWindowView | null;
  credits: { hasCredits: boolean; unlimited: boolean; balance: string | null } | null;
  individualLimit: null;
  spendControlReached: null;
  planType: string | null;
  rateLimitReachedType: null;
};

/** The `account/rateLimits/read` result. */
export type RateLimitsView = {
  ordinaryUsageAllowed: null;
  rateLimits: RateLimitSnapshotView;
  rateLimitsByLimitId: Record<string, RateLimitSnapshotView>;
  rateLimitResetCredits: null;
  accountId: null;
  rateLimitUpsell: null;
};

function windowView(window: Window | null | undefined): RateLimitWindowView | null {
  if (window === null || window === undefined) return null;
  const seconds = window.limit_window_seconds;
  return {
    usedPercent: Math.round(window.used_percent),
    windowDurationMins: seconds === null || seconds === undefined ? null : Math.ceil(seconds / 60),
    resetsAt: window.reset_at ?? null,
  };
}

function decodeError(url: string): AppServerError {
  return new AppServerError(
    "backend_failed",
    `failed to fetch codex rate limits: Decode error for ${url}`,
  );
}

/**
 * `GET <chatgpt_base_url>/wham/usage` mapped to 0.169's `account/rateLimits/read` result
 * (`windowDurationMins` = `limit_window_seconds / 60`, `resetsAt` = `reset_at`, which must fit an
 * i32 as upstream decodes it).
 *
 * @throws {AppServerError} `backend_failed` (`failed to fetch codex rate limits: …`).
 */
export async function readRateLimits(input: {
  readonly http: HttpClient;
  readonly chatgptBaseUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly userAgent: string;
  readonly signal?: AbortSignal;
}): Promise<RateLimitsView> {
  const url = chatgptBackendUrl(input.chatgptBaseUrl, "usage");
  let status: number;
  let body: unknown;
  try {
    const res = await input.http.requestJson({
      method: "GET",
      url,
      headers: { ...input.headers, "user-agent": input.userAgent },
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
    status = res.status;
    body = res.body;
  } catch (cause) {
    throw new AppServerError(
      "backend_failed",
      `failed to fetch codex rate limits: ${(cause as Error).message}`,
      { cause },
    );
  }
  if (status < 200 || status >= 300) {
    throw new AppServerError(
      "backend_failed",
      `failed to fetch codex rate limits: GET ${url} failed: ${status}`,
    );
  }
  const parsed = usageSchema.safeParse(body);
  if (!parsed.success) throw decodeError(url);
  const usage = parsed.data;
  for (const window of [usage.rate_limit?.primary_window, usage.rate_limit?.secondary_window]) {
    const reset = window?.reset_at;
    if (reset !== undefined && reset !== null && (reset > I32_MAX || reset < -I32_MAX - 1)) {
      throw decodeError(url);
    }
  }
  const planType =
    usage.plan_type === undefined || usage.plan_type === null
      ? null
      : wirePlanType(usage.plan_type);
  const snapshot = (
    limitId: string,
    limitName: string | null,
    limit: z.infer<typeof rateLimitSchema> | null | undefined,
  ): RateLimitSnapshotView => ({
    limitId,
    limitName,
    normalModelSlug: null,
    primary: windowView(limit?.primary_window),
    secondary: windowView(limit?.secondary_window),
    credits:
      usage.credits === null || usage.credits === undefined
        ? null
        : {
            hasCredits: usage.credits.has_credits,
            unlimited: usage.credits.unlimited,
            balance: usage.credits.balance ?? null,
          },
    individualLimit: null,
    spendControlReached: null,
    planType,
    rateLimitReachedType: null,
  });
  const codex = snapshot("codex", null, usage.rate_limit);
  const byId: Record<string, RateLimitSnapshotView> = { codex };
  for (const extra of usage.additional_rate_limits ?? []) {
    byId[extra.metered_feature] = snapshot(
      extra.metered_feature,
      extra.limit_name ?? null,
      extra.rate_limit,
    );
  }
  return {
    ordinaryUsageAllowed: null,
    rateLimits: codex,
    rateLimitsByLimitId: byId,
    rateLimitResetCredits: null,
    accountId: null,
    rateLimitUpsell: null,
  };
}

/** One rate-limit window. */
export interface RateLimitWindow {
  readonly usedPercent: number;
  readonly windowMinutes?: number;
  /** Epoch seconds of the reset. */
  readonly resetsAt?: number;
}

/** Credits of the account. */
export interface CreditsSnapshot {
  readonly hasCredits: boolean;
  readonly unlimited: boolean;
  readonly balance?: string;
}

/** One limit family's state (`codex` by default), from headers or `codex.rate_limits`. */
export interface RateLimitSnapshot {
  /** Family id (`codex`, or another `x-<id>-*` family, `-` written `_`). */
  readonly limitId: string;
  readonly limitName?: string;
  readonly primary?: RateLimitWindow;
  readonly secondary?: RateLimitWindow;
  readonly credits?: CreditsSnapshot;
  readonly planType?: string;
}

type HeaderSource = Pick<Headers, "get" | "forEach">;

function finite(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

function window(headers: HeaderSource, prefix: string, which: string): RateLimitWindow | undefined {
  const used = finite(headers.get(`${prefix}-${which}-used-percent`));
  if (used === undefined) return undefined;
  const minutes = finite(headers.get(`${prefix}-${which}-window-minutes`));
  const reset = finite(headers.get(`${prefix}-${which}-reset-at`));
  if (used === 0 && (minutes === undefined || minutes === 0) && reset === undefined) {
    return undefined;
  }
  return {
    usedPercent: used,
    ...(minutes === undefined ? {} : { windowMinutes: minutes }),
    ...(reset === undefined ? {} : { resetsAt: reset }),
  };
}

function flag(value: string | null): boolean | undefined {
  const v = value?.trim().toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  return undefined;
}

function snapshotFor(headers: HeaderSource, limitId: string): RateLimitSnapshot {
  const prefix = `x-${limitId.toLowerCase().replace(/_/g, "-")}`;
  const primary = window(headers, prefix, "primary");
  const secondary = window(headers, prefix, "secondary");
  const name = headers.get(`${prefix}-limit-name`)?.trim();
  let credits: CreditsSnapshot | undefined;
  if (limitId === "codex") {
    const has = flag(headers.get("x-codex-credits-has-credits"));
    const unlimited = flag(headers.get("x-codex-credits-unlimited"));
    if (has !== undefined && unlimited !== undefined) {
      const balance = headers.get("x-codex-credits-balance")?.trim();
      credits = {
        hasCredits: has,
        unlimited,
        ...(balance === undefined || balance === "" ? {} : { balance }),
      };
    }
  }
  return {
    limitId,
    ...(name === undefined || name === "" ? {} : { limitName: name }),
    ...(primary === undefined ? {} : { primary }),
    ...(secondary === undefined ? {} : { secondary }),
    ...(credits === undefined ? {} : { credits }),
  };
}

/**
 * Every limit family in the response headers: the `codex` snapshot always (possibly without
 * windows), then each other family that has an `x-<id>-primary-used-percent` header.
 *
 * @example
 * ```ts
 * parseRateLimitHeaders(new Headers({ "x-codex-primary-used-percent": "12.5" }));
 * // [{ limitId: "codex", primary: { usedPercent: 12.5 } }]
 * ```
 */
export function parseRateLimitHeaders(headers: HeaderSource): RateLimitSnapshot[] {
  const families = new Set<string>();
  headers.forEach((_value, name) => {
    const match = /^x-([a-z0-9-]+)-primary-used-percent$/.exec(name.toLowerCase());
    if (match?.[1] !== undefined && match[1] !== "codex") families.add(match[1].replace(/-/g, "_"));
  });
  return [
    snapshotFor(headers, "codex"),
    ...[...families].sort().map((id) => snapshotFor(headers, id)),
  ];
}

function jsonWindow(value: unknown): RateLimitWindow | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.used_percent !== "number" || !Number.isFinite(v.used_percent)) return undefined;
  return {
    usedPercent: v.used_percent,
    ...(typeof v.window_minutes === "number" ? { windowMinutes: v.window_minutes } : {}),
    ...(typeof v.reset_at === "number" ? { resetsAt: v.reset_at } : {}),
  };
}

/** The snapshot of a WebSocket `codex.rate_limits` event, or undefined when malformed. */
export function parseRateLimitEvent(event: Record<string, unknown>): RateLimitSnapshot | undefined {
  const limits = event.rate_limits;
  if (limits === null || typeof limits !== "object") return undefined;
  const l = limits as Record<string, unknown>;
  const primary = jsonWindow(l.primary);
  const secondary = jsonWindow(l.secondary);
  const c = event.credits as Record<string, unknown> | null | undefined;
  const name = event.metered_limit_name ?? event.limit_name;
  return {
    limitId: "codex",
    ...(typeof name === "string" ? { limitName: name } : {}),
    ...(primary === undefined ? {} : { primary }),
    ...(secondary === undefined ? {} : { secondary }),
    ...(c !== null &&
    typeof c === "object" &&
    typeof c.has_credits === "boolean" &&
    typeof c.unlimited === "boolean"
      ? {
          credits: {
            hasCredits: c.has_credits,
            unlimited: c.unlimited,
            ...(typeof c.balance === "string" ? { balance: c.balance } : {}),
          },
        }
      : {}),
    ...(typeof event.plan_type === "string" ? { planType: event.plan_type } : {}),
  };
}

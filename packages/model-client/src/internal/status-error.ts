import { isJsonObject } from "@codex/wire";
import { ModelClientError } from "../model-client-error.js";
import { parseRateLimitHeaders } from "../rate-limits.js";
import { QUOTA_EXCEEDED_MESSAGE, USAGE_NOT_INCLUDED_MESSAGE } from "../response-event.js";

/** Upstream's text when 5xx answers outlast every transport retry. */
export const HIGH_DEMAND_MESSAGE =
  "We’re currently experiencing high demand, which may cause temporary errors.";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  426: "Upgrade Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** `429 Too Many Requests`. */
export function statusText(status: number): string {
  const reason = REASONS[status];
  return reason === undefined ? String(status) : `${status} ${reason}`;
}

/** `x-request-id`, else `x-oai-request-id`, else `cf-ray`. */
export function requestIdOf(headers: Pick<Headers, "get">): string | undefined {
  return (
    headers.get("x-request-id") ??
    headers.get("x-oai-request-id") ??
    headers.get("cf-ray") ??
    undefined
  );
}

const MAX_BODY_IN_MESSAGE = 2000;

function errorObject(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isJsonObject(parsed) && isJsonObject(parsed.error)) return parsed.error;
  } catch {
    // not JSON: no structured error
  }
  return {};
}

/** Maps a non-success HTTP answer (or WebSocket error frame) to upstream's error kinds. */
export function statusError(
  status: number,
  headers: Pick<Headers, "get" | "forEach">,
  body: string,
  retryAfterMs?: number,
): ModelClientError {
  const error = errorObject(body);
  const code = typeof error.code === "string" ? error.code : undefined;
  const type = typeof error.type === "string" ? error.type : undefined;
  const message = typeof error.message === "string" ? error.message : "";
  const requestId = requestIdOf(headers);
  const base = {
    status,
    ...(requestId === undefined ? {} : { requestId }),
    ...(code === undefined ? {} : { errorCode: code }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
  if (status === 503 && (code === "server_is_overloaded" || code === "slow_down")) {
    return new ModelClientError(
      "server_overloaded",
      "The selected model is overloaded right now. Try again later or pick another model.",
      base,
    );
  }
  if (status === 400 && code === "cyber_policy") {
    return new ModelClientError(
      "cyber_policy",
      message === "" ? "The request was refused under the cybersecurity policy." : message,
      base,
    );
  }
  if (status === 400) {
    const text =
      body.length > MAX_BODY_IN_MESSAGE ? `${body.slice(0, MAX_BODY_IN_MESSAGE)}…` : body;
    return new ModelClientError("invalid_request", text === "" ? statusText(status) : text, base);
  }
  if (status >= 500) {
    return new ModelClientError("internal_server_error", HIGH_DEMAND_MESSAGE, base);
  }
  if (status === 429) {
    if (type === "usage_limit_reached") {
      const plan = typeof error.plan_type === "string" ? error.plan_type : undefined;
      const resets = typeof error.resets_at === "number" ? error.resets_at : undefined;
      const active = (headers.get("x-codex-active-limit") ?? "codex")
        .trim()
        .toLowerCase()
        .replace(/-/g, "_");
      const limits = parseRateLimitHeaders(headers).find((s) => s.limitId === active);
      const promo = headers.get("x-codex-promo-message")?.trim();
      return new ModelClientError("usage_limit_reached", "You've hit your usage limit.", {
        ...base,
        ...(plan === undefined ? {} : { planType: plan }),
        ...(resets === undefined ? {} : { resetsAt: resets }),
        ...(limits === undefined ? {} : { rateLimits: limits }),
        ...(promo === undefined || promo === "" ? {} : { promoMessage: promo }),
      });
    }
    if (type === "usage_not_included" || code === "usage_not_included") {
      return new ModelClientError("usage_not_included", USAGE_NOT_INCLUDED_MESSAGE, base);
    }
    if (code === "insufficient_quota" || type === "insufficient_quota") {
      return new ModelClientError("quota_exceeded", QUOTA_EXCEEDED_MESSAGE, base);
    }
    const suffix = requestId === undefined ? "" : `, request id: ${requestId}`;
    return new ModelClientError(
      "retry_limit",
      `exceeded retry limit, last status: ${statusText(status)}${suffix}`,
      base,
    );
  }
  const suffix = requestId === undefined ? "" : `, request id: ${requestId}`;
  return new ModelClientError(
    "unexpected_status",
    `unexpected status ${statusText(status)}${suffix}`,
    base,
  );
}

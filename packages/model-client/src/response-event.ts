import { isJsonObject, type JsonObject } from "@codex/wire";
import { ModelClientError } from "./model-client-error.js";
import type { RateLimitSnapshot } from "./rate-limits.js";

/** Token counts of a completed response. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
  readonly reasoningOutputTokens: number;
  readonly totalTokens: number;
}

/** One event of a model stream (HTTP SSE and WebSocket alike). */
export type ResponseEvent =
  | { readonly type: "created" }
  | { readonly type: "output_item_added"; readonly item: JsonObject }
  | { readonly type: "output_item_done"; readonly item: JsonObject }
  | { readonly type: "output_text_delta"; readonly delta: string }
  | {
      readonly type: "tool_call_input_delta";
      readonly itemId: string;
      readonly callId?: string;
      readonly delta: string;
    }
  | {
      readonly type: "reasoning_summary_delta";
      readonly delta: string;
      readonly summaryIndex: number;
    }
  | {
      readonly type: "reasoning_content_delta";
      readonly delta: string;
      readonly contentIndex: number;
    }
  | { readonly type: "reasoning_summary_part_added"; readonly summaryIndex: number }
  | {
      readonly type: "completed";
      readonly responseId: string;
      readonly tokenUsage?: TokenUsage;
      readonly endTurn?: boolean;
    }
  | { readonly type: "rate_limits"; readonly snapshot: RateLimitSnapshot }
  | { readonly type: "models_etag"; readonly etag: string }
  | { readonly type: "server_model"; readonly model: string }
  | { readonly type: "server_reasoning_included"; readonly included: boolean }
  /**
   * The stream broke and is being sent again (attempt `attempt` of `maxAttempts`): drop the
   * partial output received since the last `created`.
   */
  | {
      readonly type: "reconnecting";
      readonly attempt: number;
      readonly maxAttempts: number;
      readonly error: ModelClientError;
    }
  /**
   * Every resend over the WebSocket failed: the session switches to HTTP for good and sends the
   * request again there with a fresh `streamMaxRetries` budget (upstream's warning "Falling back
   * from WebSockets to HTTPS transport. <error>"). Drop partial output, as for `reconnecting`.
   */
  | { readonly type: "transport_fallback"; readonly error: ModelClientError };

/** What one SSE/WebSocket JSON event means. */
export type MappedEvent =
  | { readonly kind: "event"; readonly event: ResponseEvent }
  | { readonly kind: "failure"; readonly error: ModelClientError }
  | { readonly kind: "ignore" };

const IGNORE: MappedEvent = { kind: "ignore" };

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** Parses a Responses `usage` object. */
export function parseTokenUsage(value: unknown): TokenUsage | undefined {
  if (!isJsonObject(value)) return undefined;
  const input = value.input_tokens_details;
  const output = value.output_tokens_details;
  return {
    inputTokens: num(value.input_tokens),
    cachedInputTokens: isJsonObject(input) ? num(input.cached_tokens) : 0,
    outputTokens: num(value.output_tokens),
    reasoningOutputTokens: isJsonObject(output) ? num(output.reasoning_tokens) : 0,
    totalTokens: num(value.total_tokens),
  };
}

/** `try again in 1.5s` / `20ms` / `3 seconds` in a rate-limit message, in ms. */
export function parseRetryDelayMs(message: string): number | undefined {
  const match = /try again in\s*(\d+(?:\.\d+)?)\s*(ms|seconds?|s)\b/i.exec(message);
  if (match === null) return undefined;
  const value = Number(match[1]);
  return match[2]?.toLowerCase() === "ms" ? Math.round(value) : Math.round(value * 1000);
}

/** Upstream texts of the final failure codes. */
export const QUOTA_EXCEEDED_MESSAGE = "Quota exceeded. Check your plan and billing details.";
export const USAGE_NOT_INCLUDED_MESSAGE =
  "Codex is not included in your ChatGPT plan. Upgrade the plan to use Codex.";
export const CONTEXT_WINDOW_EXCEEDED_MESSAGE =
  "The conversation no longer fits the model's context window. Start a new thread or compact it, then retry.";
export const SERVER_OVERLOADED_MESSAGE =
  "The selected model is overloaded right now. Try again later or pick another model.";
export const CYBER_POLICY_FALLBACK_MESSAGE =
  "The request was refused under the cybersecurity policy.";

/** The error a `response.failed` (or WebSocket error) with `code`/`message` stands for. */
export function failureError(code: string | undefined, message: string): ModelClientError {
  const details = code === undefined ? {} : { errorCode: code };
  switch (code) {
    case "context_length_exceeded":
      return new ModelClientError(
        "context_window_exceeded",
        CONTEXT_WINDOW_EXCEEDED_MESSAGE,
        details,
      );
    case "insufficient_quota":
      return new ModelClientError("quota_exceeded", QUOTA_EXCEEDED_MESSAGE, details);
    case "usage_not_included":
      return new ModelClientError("usage_not_included", USAGE_NOT_INCLUDED_MESSAGE, details);
    case "cyber_policy":
      return new ModelClientError(
        "cyber_policy",
        message.trim() === "" ? CYBER_POLICY_FALLBACK_MESSAGE : message,
        details,
      );
    case "invalid_prompt":
      return new ModelClientError("invalid_request", message, details);
    case "server_is_overloaded":
    case "slow_down":
      return new ModelClientError("server_overloaded", SERVER_OVERLOADED_MESSAGE, details);
    default: {
      const delay = code === "rate_limit_exceeded" ? parseRetryDelayMs(message) : undefined;
      return new ModelClientError("retryable", message, {
        ...details,
        ...(delay === undefined ? {} : { retryAfterMs: delay }),
      });
    }
  }
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * Maps one parsed Responses stream event to a {@link ResponseEvent}, a failure, or nothing
 * (unknown types, malformed items).
 */
export function mapResponsesEvent(event: JsonObject): MappedEvent {
  switch (event.type) {
    case "response.created":
      return isJsonObject(event.response) ? { kind: "event", event: { type: "created" } } : IGNORE;
    case "response.output_item.added":
    case "response.output_item.done": {
      const item = event.item;
      if (!isJsonObject(item) || typeof item.type !== "string") return IGNORE;
      return {
        kind: "event",
        event: {
          type:
            event.type === "response.output_item.added" ? "output_item_added" : "output_item_done",
          item,
        },
      };
    }
    case "response.output_text.delta": {
      const delta = str(event.delta);
      return delta === undefined
        ? IGNORE
        : { kind: "event", event: { type: "output_text_delta", delta } };
    }
    case "response.custom_tool_call_input.delta": {
      const delta = str(event.delta);
      const callId = str(event.call_id);
      const itemId = str(event.item_id) ?? callId;
      if (delta === undefined || itemId === undefined) return IGNORE;
      return {
        kind: "event",
        event: {
          type: "tool_call_input_delta",
          itemId,
          ...(callId === undefined ? {} : { callId }),
          delta,
        },
      };
    }
    case "response.reasoning_summary_text.delta": {
      const delta = str(event.delta);
      if (delta === undefined || typeof event.summary_index !== "number") return IGNORE;
      return {
        kind: "event",
        event: { type: "reasoning_summary_delta", delta, summaryIndex: event.summary_index },
      };
    }
    case "response.reasoning_text.delta": {
      const delta = str(event.delta);
      if (delta === undefined || typeof event.content_index !== "number") return IGNORE;
      return {
        kind: "event",
        event: { type: "reasoning_content_delta", delta, contentIndex: event.content_index },
      };
    }
    case "response.reasoning_summary_part.added":
      return typeof event.summary_index === "number"
        ? {
            kind: "event",
            event: { type: "reasoning_summary_part_added", summaryIndex: event.summary_index },
          }
        : IGNORE;
    case "response.completed": {
      const response = event.response;
      if (!isJsonObject(response) || typeof response.id !== "string") {
        return {
          kind: "failure",
          error: new ModelClientError("stream", "response.completed carried no response id"),
        };
      }
      const usage = parseTokenUsage(response.usage);
      return {
        kind: "event",
        event: {
          type: "completed",
          responseId: response.id,
          ...(usage === undefined ? {} : { tokenUsage: usage }),
          ...(typeof response.end_turn === "boolean" ? { endTurn: response.end_turn } : {}),
        },
      };
    }
    case "response.failed": {
      const response = isJsonObject(event.response) ? event.response : {};
      const error = isJsonObject(response.error) ? response.error : {};
      const message = str(error.message) ?? "response.failed event received";
      return { kind: "failure", error: failureError(str(error.code), message) };
    }
    case "response.incomplete": {
      const response = isJsonObject(event.response) ? event.response : {};
      const details = isJsonObject(response.incomplete_details) ? response.incomplete_details : {};
      const reason = str(details.reason) ?? "unknown";
      return {
        kind: "failure",
        error: new ModelClientError("stream", `Incomplete response returned, reason: ${reason}`),
      };
    }
    default:
      return IGNORE;
  }
}

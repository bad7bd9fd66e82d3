import {
  parseResponseItem,
  type ResponseItem,
  type InferenceTraceAttempt as RolloutAttempt,
  type InferenceTraceContext as RolloutContext,
} from "@codex/rollout";
import type { JsonObject, JsonValue } from "@codex/wire";

/** Reason recorded when the consumer stops reading before the provider's terminal event. */
export const RESPONSE_STREAM_DROPPED_REASON =
  "response stream dropped before provider terminal event";

/**
 * The trace of one inference request: `recordStarted`, then one terminal record. The model
 * client writes through this small interface; {@link rolloutInferenceTrace} backs it with
 * `@codex/rollout`'s trace bundle.
 */
export interface InferenceTraceAttempt {
  recordStarted(request: JsonValue): void;
  recordCompleted(
    responseId: string,
    upstreamRequestId: string | null,
    tokenUsage: JsonValue,
    outputItems: readonly JsonObject[],
  ): void;
  recordFailed(
    error: string,
    upstreamRequestId: string | null,
    outputItems: readonly JsonObject[],
  ): void;
  recordCancelled(
    reason: string,
    upstreamRequestId: string | null,
    outputItems: readonly JsonObject[],
  ): void;
}

/** Hands out one {@link InferenceTraceAttempt} per request sent (reconnects included). */
export interface InferenceTrace {
  startAttempt(): InferenceTraceAttempt;
}

function toRolloutItems(items: readonly JsonObject[]): ResponseItem[] {
  const out: ResponseItem[] = [];
  for (const item of items) {
    try {
      out.push(parseResponseItem(item));
    } catch {
      // An item the rollout schema does not know is left out of the trace, never fatal.
    }
  }
  return out;
}

/**
 * Adapts one `@codex/rollout` attempt (items are parsed into rollout's `ResponseItem`; items it
 * cannot parse are left out of the trace).
 */
export function rolloutInferenceAttempt(attempt: RolloutAttempt): InferenceTraceAttempt {
  return {
    recordStarted: (request) => attempt.recordStarted(request),
    recordCompleted: (responseId, requestId, usage, items) =>
      attempt.recordCompleted(responseId, requestId, usage, toRolloutItems(items)),
    recordFailed: (error, requestId, items) =>
      attempt.recordFailed(error, requestId, toRolloutItems(items)),
    recordCancelled: (reason, requestId, items) =>
      attempt.recordCancelled(reason, requestId, toRolloutItems(items)),
  };
}

/**
 * Backs the model client's trace with a `@codex/rollout` `InferenceTraceContext`.
 *
 * @example
 * ```ts
 * const trace = rolloutInferenceTrace(InferenceTraceContext.enabled(writer, thread, turn, model, "openai"));
 * session.stream(prompt, turn, { trace });
 * ```
 */
export function rolloutInferenceTrace(context: RolloutContext): InferenceTrace {
  return { startAttempt: () => rolloutInferenceAttempt(context.startAttempt()) };
}

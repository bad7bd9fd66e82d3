import { randomUUID } from "node:crypto";
import type { JsonValue } from "@codex/wire";
import { type Logger, silentLogger } from "@codex/wire";
import { type ResponseItem, serializeResponseItem } from "../schema/response-item.js";
import type { RawPayloadRef } from "./raw-trace-event.js";
import type { TraceWriter } from "./trace-writer.js";

/** Header carrying the inference call id when tracing is on. */
export const X_CODEX_INFERENCE_CALL_ID_HEADER = "x-codex-inference-call-id";

/** Reason the model client records when its consumer drops the response stream. */
export const RESPONSE_STREAM_DROPPED_REASON =
  "response stream dropped before provider terminal event";

interface Enabled {
  writer: TraceWriter;
  threadId: string;
  codexTurnId: string;
  model: string;
  providerName: string;
  uuid: () => string;
  logger: Logger;
}

let makeAttempt: (state: Enabled, id: string) => InferenceTraceAttempt;

/** Options of {@link InferenceTraceContext.enabled}. */
export interface InferenceTraceOptions {
  /** Id source for inference calls (default UUID v4). */
  uuid?: () => string;
  /** Told about swallowed trace write errors. */
  logger?: Logger;
}

/**
 * Per-turn inference tracing. A disabled context hands out disabled attempts that do nothing.
 *
 * @example
 * ```ts
 * const ctx = InferenceTraceContext.enabled(writer, "thread-root", "turn-1", "gpt-test", "openai");
 * const attempt = ctx.startAttempt();
 * attempt.recordStarted({ model: "gpt-test", input: [] });
 * attempt.recordCancelled(RESPONSE_STREAM_DROPPED_REASON, null, partialItems);
 * ```
 */
export class InferenceTraceContext {
  readonly #state: Enabled | null;

  private constructor(state: Enabled | null) {
    this.#state = state;
  }

  /** A context that records nothing. */
  static disabled(): InferenceTraceContext {
    return new InferenceTraceContext(null);
  }

  /** A context recording into `writer` for one thread turn. */
  static enabled(
    writer: TraceWriter,
    threadId: string,
    codexTurnId: string,
    model: string,
    providerName: string,
    options: InferenceTraceOptions = {},
  ): InferenceTraceContext {
    return new InferenceTraceContext({
      writer,
      threadId,
      codexTurnId,
      model,
      providerName,
      uuid: options.uuid ?? randomUUID,
      logger: options.logger ?? silentLogger,
    });
  }

  /** Whether this context records anything. */
  isEnabled(): boolean {
    return this.#state !== null;
  }

  /** A new attempt with a fresh `inference_call_id` (disabled context → disabled attempt). */
  startAttempt(): InferenceTraceAttempt {
    if (this.#state === null) return InferenceTraceAttempt.disabled();
    return makeAttempt(this.#state, this.#state.uuid());
  }
}

/**
 * One inference request's trace: `recordStarted`, then exactly one terminal record
 * (completed, failed or cancelled). Only the first terminal call records. Write errors are
 * swallowed (tracing never fails the session).
 */
export class InferenceTraceAttempt {
  readonly #state: Enabled | null;
  /** The call id (`undefined` when disabled). */
  readonly inferenceCallId: string | undefined;
  #terminal = false;

  static {
    makeAttempt = (state, id) => new InferenceTraceAttempt(state, id);
  }

  private constructor(state: Enabled | null, inferenceCallId: string | undefined) {
    this.#state = state;
    this.inferenceCallId = inferenceCallId;
  }

  /** An attempt that records nothing. */
  static disabled(): InferenceTraceAttempt {
    return new InferenceTraceAttempt(null, undefined);
  }

  /** Whether this attempt records anything. */
  isEnabled(): boolean {
    return this.#state !== null;
  }

  /** Sets `x-codex-inference-call-id` when enabled. */
  addRequestHeaders(headers: Headers | Record<string, string>): void {
    if (this.#state === null || this.inferenceCallId === undefined) return;
    if (headers instanceof Headers)
      headers.set(X_CODEX_INFERENCE_CALL_ID_HEADER, this.inferenceCallId);
    else headers[X_CODEX_INFERENCE_CALL_ID_HEADER] = this.inferenceCallId;
  }

  #guard(what: string, fn: (s: Enabled, id: string) => void): void {
    const s = this.#state;
    if (s === null || this.inferenceCallId === undefined) return;
    try {
      fn(s, this.inferenceCallId);
    } catch (err) {
      s.logger.warn("trace write failed", {
        record: what,
        error: err instanceof Error ? err.name : "unknown",
      });
    }
  }

  #ctx(s: Enabled): { threadId: string; codexTurnId: string } {
    return { threadId: s.threadId, codexTurnId: s.codexTurnId };
  }

  /** Writes the request as an `inference_request` payload, then `inference_started`. */
  recordStarted(request: JsonValue): void {
    this.#guard("started", (s, id) => {
      const ref = s.writer.writeJsonPayload({ type: "inference_request" }, request);
      s.writer.appendWithContext(this.#ctx(s), {
        type: "inference_started",
        inference_call_id: id,
        thread_id: s.threadId,
        codex_turn_id: s.codexTurnId,
        model: s.model,
        provider_name: s.providerName,
        request_payload: ref,
      });
    });
  }

  #claimTerminal(): boolean {
    if (this.#terminal) return false;
    this.#terminal = true;
    return true;
  }

  #responsePayload(
    s: Enabled,
    responseId: string | null,
    upstreamRequestId: string | null,
    tokenUsage: JsonValue,
    items: readonly ResponseItem[],
  ): RawPayloadRef {
    const output: JsonValue[] = [];
    for (const item of items) {
      const v = serializeResponseItem(item, { keepReasoningContent: true });
      if (v !== null) output.push(v);
    }
    return s.writer.writeJsonPayload(
      { type: "inference_response" },
      {
        response_id: responseId,
        upstream_request_id: upstreamRequestId,
        token_usage: tokenUsage,
        output_items: output,
      },
    );
  }

  /** The provider finished: writes the response payload and `inference_completed`. */
  recordCompleted(
    responseId: string,
    upstreamRequestId: string | null,
    tokenUsage: JsonValue,
    outputItems: readonly ResponseItem[],
  ): void {
    if (this.#state === null || !this.#claimTerminal()) return;
    this.#guard("completed", (s, id) => {
      const ref = this.#responsePayload(s, responseId, upstreamRequestId, tokenUsage, outputItems);
      s.writer.appendWithContext(this.#ctx(s), {
        type: "inference_completed",
        inference_call_id: id,
        response_id: responseId,
        upstream_request_id: upstreamRequestId,
        response_payload: ref,
      });
    });
  }

  /** The request failed; partial items (if any) are kept as the response payload. */
  recordFailed(
    error: string,
    upstreamRequestId: string | null,
    outputItems: readonly ResponseItem[],
  ): void {
    if (this.#state === null || !this.#claimTerminal()) return;
    this.#guard("failed", (s, id) => {
      const ref =
        outputItems.length > 0
          ? this.#responsePayload(s, null, upstreamRequestId, null, outputItems)
          : null;
      s.writer.appendWithContext(this.#ctx(s), {
        type: "inference_failed",
        inference_call_id: id,
        upstream_request_id: upstreamRequestId,
        error,
        partial_response_payload: ref,
      });
    });
  }

  /** The stream was abandoned; partial items (if any) are kept as the response payload. */
  recordCancelled(
    reason: string,
    upstreamRequestId: string | null,
    outputItems: readonly ResponseItem[],
  ): void {
    if (this.#state === null || !this.#claimTerminal()) return;
    this.#guard("cancelled", (s, id) => {
      const ref =
        outputItems.length > 0
          ? this.#responsePayload(s, null, upstreamRequestId, null, outputItems)
          : null;
      s.writer.appendWithContext(this.#ctx(s), {
        type: "inference_cancelled",
        inference_call_id: id,
        upstream_request_id: upstreamRequestId,
        reason,
        partial_response_payload: ref,
      });
    });
  }
}

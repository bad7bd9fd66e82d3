import { isJsonObject, type JsonObject, type JsonValue } from "@codex/wire";
import { createParser } from "eventsource-parser";
import type { InferenceTraceAttempt } from "../inference-trace.js";
import { RESPONSE_STREAM_DROPPED_REASON } from "../inference-trace.js";
import { ModelClientError } from "../model-client-error.js";
import { parseRateLimitHeaders } from "../rate-limits.js";
import { mapResponsesEvent, type ResponseEvent } from "../response-event.js";
import { requestIdOf } from "./status-error.js";

/** Deadlines of one SSE body. */
export interface SseDeadlines {
  /** From the headers to the first complete event. */
  readonly firstEventMs: number;
  /** Between complete events (comments do not count). */
  readonly idleMs: number;
}

/** Feedback tags (`last_model_request_id`, `last_model_response_id`), as upstream names them. */
export type FeedbackTagSink = (name: string, value: string) => void;

const decoder = () => new TextDecoder();

class IdleTimeout {}
class Aborted {}

/** The events upstream derives from the response headers before any SSE event. */
export function headerEvents(headers: Headers): ResponseEvent[] {
  const events: ResponseEvent[] = [];
  const model = headers.get("openai-model");
  if (model !== null && model !== "") events.push({ type: "server_model", model });
  for (const snapshot of parseRateLimitHeaders(headers)) {
    events.push({ type: "rate_limits", snapshot });
  }
  const etag = headers.get("x-models-etag");
  if (etag !== null && etag !== "") events.push({ type: "models_etag", etag });
  if (headers.has("x-reasoning-included")) {
    events.push({ type: "server_reasoning_included", included: true });
  }
  return events;
}

function serverModelOf(event: JsonObject): string | undefined {
  const response = isJsonObject(event.response) ? event.response : undefined;
  for (const holder of [response?.headers, event.headers]) {
    if (!isJsonObject(holder)) continue;
    const value = holder["openai-model"] ?? holder["x-openai-model"];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/**
 * Reads one Responses SSE body into batches of events (one per network chunk). Pull-based: nothing is read while the consumer is
 * busy, so the buffer between socket and consumer is one network chunk's events. Ends after
 * `completed`; a failure event is remembered and thrown when the body ends (upstream's HTTP
 * rule). When the consumer stops early (return/abort) the body is cancelled and the trace
 * records `cancelled` with the items seen so far.
 */
export async function* readSseResponse(
  response: Response,
  deadlines: SseDeadlines,
  trace: InferenceTraceAttempt | undefined,
  tag: FeedbackTagSink,
  signal: AbortSignal | undefined,
): AsyncGenerator<ResponseEvent[], void, undefined> {
  const requestId = requestIdOf(response.headers) ?? null;
  if (requestId !== null) tag("last_model_request_id", requestId);
  const items: JsonObject[] = [];
  let terminal = false;
  let failed: ModelClientError | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // Events parsed from the bytes read so far and not yet handed to the consumer. Items are
  // counted when parsed (seen), so a consumer that stops early still gets them traced.
  let ready: { event: ResponseEvent; usage: JsonValue }[] = [];
  let remembered: ModelClientError | undefined;
  let parseError: string | undefined;
  let lastModel: string | undefined;
  let deadlineAt = Date.now() + deadlines.firstEventMs;
  const parser = createParser({
    onEvent: (message) => {
      deadlineAt = Date.now() + deadlines.idleMs;
      let json: unknown;
      try {
        json = JSON.parse(message.data);
      } catch {
        return;
      }
      if (!isJsonObject(json)) return;
      const parsed = json as JsonObject;
      const model = serverModelOf(parsed);
      if (model !== undefined && model !== lastModel) {
        lastModel = model;
        ready.push({ event: { type: "server_model", model }, usage: null });
      }
      const mapped = mapResponsesEvent(parsed);
      if (mapped.kind === "ignore") return;
      if (mapped.kind === "failure") {
        remembered ??= mapped.error;
        return;
      }
      if (mapped.event.type === "output_item_done") items.push(mapped.event.item);
      const response = parsed.response;
      ready.push({
        event: mapped.event,
        usage: isJsonObject(response) ? ((response as JsonObject).usage ?? null) : null,
      });
    },
    onError: (error) => {
      parseError = error.message;
    },
  });
  const text = decoder();
  try {
    const head = headerEvents(response.headers);
    for (const event of head) if (event.type === "server_model") lastModel = event.model;
    if (head.length > 0) yield head;
    if (response.body === null) {
      throw new ModelClientError("stream", "stream closed before response.completed");
    }
    reader = response.body.getReader();
    deadlineAt = Date.now() + deadlines.firstEventMs;
    for (;;) {
      if (ready.length > 0) {
        const batch = ready;
        ready = [];
        const out: ResponseEvent[] = [];
        for (const { event, usage } of batch) {
          out.push(event);
          if (event.type === "completed") {
            terminal = true;
            tag("last_model_response_id", event.responseId);
            trace?.recordCompleted(event.responseId, requestId, usage, items);
            yield out;
            return;
          }
        }
        yield out;
        continue;
      }
      if (parseError !== undefined) throw new ModelClientError("stream", parseError);
      const remaining = deadlineAt - Date.now();
      if (remaining <= 0) throw idleError();
      let result: Awaited<ReturnType<typeof reader.read>> | IdleTimeout | Aborted;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let onAbort: (() => void) | undefined;
      try {
        result = await Promise.race([
          reader.read(),
          new Promise<IdleTimeout>((resolve) => {
            timer = setTimeout(() => resolve(new IdleTimeout()), remaining);
          }),
          // The caller's signal ends the read even when the transport does not tie it to the body.
          new Promise<Aborted>((resolve) => {
            onAbort = () => resolve(new Aborted());
            if (signal?.aborted) onAbort();
            else signal?.addEventListener("abort", onAbort, { once: true });
          }),
        ]);
      } catch (cause) {
        if (signal?.aborted) {
          throw new ModelClientError("aborted", "the model stream was cancelled", { cause });
        }
        const reason = cause instanceof Error ? cause.message : "connection lost";
        throw new ModelClientError("stream", `stream disconnected before completion: ${reason}`, {
          cause,
          ...(requestId === null ? {} : { requestId }),
        });
      } finally {
        clearTimeout(timer);
        if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
      }
      if (result instanceof IdleTimeout) throw idleError();
      if (result instanceof Aborted) {
        throw new ModelClientError("aborted", "the model stream was cancelled");
      }
      if (result.done) {
        parser.feed(text.decode());
        if (ready.length > 0) continue;
        throw (
          remembered ?? new ModelClientError("stream", "stream closed before response.completed")
        );
      }
      parser.feed(text.decode(result.value, { stream: true }));
    }
  } catch (error) {
    failed = ModelClientError.is(error)
      ? error
      : new ModelClientError("stream", "the model stream failed", { cause: error });
    throw failed;
  } finally {
    if (!terminal) {
      if (failed !== undefined && failed.code !== "aborted") {
        trace?.recordFailed(failed.message, requestId, items);
      } else {
        trace?.recordCancelled(RESPONSE_STREAM_DROPPED_REASON, requestId, items);
      }
    }
    if (reader !== undefined) {
      // Not awaited: cancelling a body mid-stream can take a round trip; the socket is freed.
      void reader.cancel().catch(() => {});
    } else if (response.body !== null && !response.bodyUsed) {
      void response.body.cancel().catch(() => {});
    }
  }
}

function idleError(): ModelClientError {
  return new ModelClientError("stream", "idle timeout waiting for SSE");
}

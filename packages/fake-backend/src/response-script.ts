import { validateHeaderName, validateHeaderValue } from "node:http";
import { isJsonObject } from "@codex/wire";
import { FakeBackendError } from "./fake-backend-error.js";

/** Token usage reported by `response.completed`. */
export interface ScriptUsage {
  readonly inputTokens?: number;
  readonly cachedInputTokens?: number;
  readonly outputTokens?: number;
  readonly reasoningOutputTokens?: number;
}

/** One step of a streamed response. */
export type ScriptStep =
  /** `response.created`. */
  | { readonly type: "created" }
  /** An assistant message: `output_item.added`, one `output_text.delta` per chunk, `output_item.done`. */
  | { readonly type: "message"; readonly text: string; readonly chunkSize?: number }
  /**
   * A `response.output_text.delta` for the open item. With none open, an assistant message item
   * is added first (`response.output_item.added`) and closed (`response.output_item.done`) before
   * the next item or the terminal event, so the stream stays well-formed even when it is cut.
   */
  | { readonly type: "text_delta"; readonly delta: string }
  /** `response.output_item.added` with this item. */
  | { readonly type: "output_item_added"; readonly item: Readonly<Record<string, unknown>> }
  /** `response.output_item.done` with this item. */
  | { readonly type: "output_item_done"; readonly item: Readonly<Record<string, unknown>> }
  /** `response.completed` with usage (defaults derived from the text) and the output so far. */
  | { readonly type: "completed"; readonly usage?: ScriptUsage; readonly endTurn?: boolean }
  /** `response.failed` with `response.error = { code, message }`. */
  | { readonly type: "failed"; readonly code: string; readonly message: string }
  /** `response.incomplete` with `incomplete_details.reason`. */
  | { readonly type: "incomplete"; readonly reason: string }
  /** Any event, sent as is (its `type` names the SSE event). */
  | { readonly type: "event"; readonly event: Readonly<Record<string, unknown>> }
  /** Stops sending and keeps the connection open until the client or the backend closes it. */
  | { readonly type: "stall" }
  /** Destroys the connection without a terminal event. */
  | { readonly type: "disconnect" };

/** What the backend answers to one Responses call (HTTP request or WebSocket `response.create`). */
export type ResponseScript =
  /** Echo the last user text back as the assistant message (the default). */
  | { readonly kind: "echo" }
  /** Stream these steps (HTTP 200 SSE, or WebSocket text frames). */
  | {
      readonly kind: "stream";
      readonly steps: readonly ScriptStep[];
      readonly headers?: Readonly<Record<string, string>>;
    }
  /**
   * Answer with an HTTP status and JSON body instead of a stream (429, 5xx, 401, ...). Over a
   * WebSocket this becomes a wrapped `{"type":"error","status":...}` frame.
   */
  | {
      readonly kind: "status";
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
      readonly retryAfterSeconds?: number;
    }
  /**
   * Refuse the next WebSocket upgrade with this status (426 makes clients fall back to HTTP).
   * Consumed only by WebSocket handshakes, never by HTTP calls.
   */
  | {
      readonly kind: "websocket_handshake";
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    };

/**
 * Builders for the usual scripts. Queue them with `backend.enqueue(...)`: each Responses call
 * takes the next one, and the default script (echo) answers once the queue is empty.
 *
 * @example
 * ```ts
 * backend.enqueue(scripts.rateLimited({ retryAfterSeconds: 1 }), scripts.text("hello"));
 * ```
 */
export const scripts = {
  /** Echo the last user text (the default model). */
  echo(): ResponseScript {
    return { kind: "echo" };
  },
  /** A complete streamed answer with this text. */
  text(text: string, options: { usage?: ScriptUsage; chunkSize?: number } = {}): ResponseScript {
    return {
      kind: "stream",
      steps: [
        { type: "created" },
        options.chunkSize === undefined
          ? { type: "message", text }
          : { type: "message", text, chunkSize: options.chunkSize },
        options.usage === undefined
          ? { type: "completed" }
          : { type: "completed", usage: options.usage },
      ],
    };
  },
  /** Stream exactly these steps. */
  stream(steps: readonly ScriptStep[], headers?: Readonly<Record<string, string>>): ResponseScript {
    return headers === undefined ? { kind: "stream", steps } : { kind: "stream", steps, headers };
  },
  /** `response.created` then `response.failed` with this error code. */
  failed(code: string, message: string): ResponseScript {
    return { kind: "stream", steps: [{ type: "created" }, { type: "failed", code, message }] };
  },
  /** HTTP 429 with `retry-after` (seconds) and an OpenAI-style `rate_limit_exceeded` body. */
  rateLimited(options: { retryAfterSeconds?: number; body?: unknown } = {}): ResponseScript {
    return {
      kind: "status",
      status: 429,
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
      body: options.body ?? {
        error: {
          message: "Rate limit reached. Please try again later.",
          type: "rate_limit_exceeded",
          param: null,
          code: "rate_limit_exceeded",
        },
      },
    };
  },
  /** An HTTP 5xx answer (default 500). */
  serverError(status = 500): ResponseScript {
    return {
      kind: "status",
      status,
      body: {
        error: {
          message: "The server had an error.",
          type: "server_error",
          param: null,
          code: null,
        },
      },
    };
  },
  /** HTTP 401: queue it once to make the next call fail and the following one succeed. */
  unauthorized(): ResponseScript {
    return {
      kind: "status",
      status: 401,
      body: {
        error: {
          message: "Your authentication token has expired. Please try signing in again.",
          type: "invalid_request_error",
          param: null,
          code: "token_expired",
        },
      },
    };
  },
  /** Start a message, send `prefix`, then stall with the connection open. */
  stall(prefix = ""): ResponseScript {
    return {
      kind: "stream",
      steps: [{ type: "created" }, ...deltaSteps(prefix), { type: "stall" }],
    };
  },
  /** Start a message, send `prefix`, then drop the connection. */
  disconnect(prefix = ""): ResponseScript {
    return {
      kind: "stream",
      steps: [{ type: "created" }, ...deltaSteps(prefix), { type: "disconnect" }],
    };
  },
  /** Refuse the next WebSocket upgrade with 426 Upgrade Required. */
  upgradeRequired(): ResponseScript {
    return {
      kind: "websocket_handshake",
      status: 426,
      body: {
        error: {
          message: "Upgrade Required",
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      },
    };
  },
} as const;

function deltaSteps(prefix: string): ScriptStep[] {
  return prefix === "" ? [] : [{ type: "text_delta", delta: prefix }];
}

const STEP_TYPES = new Set([
  "created",
  "message",
  "text_delta",
  "output_item_added",
  "output_item_done",
  "completed",
  "failed",
  "incomplete",
  "event",
  "stall",
  "disconnect",
]);

function invalid(message: string): FakeBackendError {
  return new FakeBackendError("invalid_script", message);
}

function validateStatus(status: unknown, min: number, max: number): void {
  if (typeof status !== "number" || !Number.isInteger(status) || status < min || status > max) {
    throw invalid(`script status must be an integer between ${min} and ${max}`);
  }
}

function validateHeaders(headers: unknown): void {
  if (headers === undefined) return;
  if (!isJsonObject(headers)) throw invalid("script headers must be an object of strings");
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string") throw invalid("script header values must be strings");
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch {
      throw invalid("script headers must be valid HTTP header names and values");
    }
  }
}

function validateJson(value: unknown, what: string): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) throw invalid(`${what} must be serialisable as JSON`);
}

/**
 * Checks a script before it is queued, so a bad test script fails at `enqueue` with
 * `invalid_script` instead of breaking a request later.
 *
 * @example
 * ```ts
 * validateScript(scripts.text("hi")); // returns the script
 * ```
 */
export function validateScript(script: ResponseScript): ResponseScript {
  if (!isJsonObject(script)) throw invalid("a script must be an object");
  switch (script.kind) {
    case "echo":
      return script;
    case "status":
      validateStatus(script.status, 400, 599);
      if (
        script.retryAfterSeconds !== undefined &&
        (!Number.isInteger(script.retryAfterSeconds) || script.retryAfterSeconds < 0)
      ) {
        throw invalid("retryAfterSeconds must be a non-negative integer");
      }
      validateHeaders(script.headers);
      if (script.body !== undefined) validateJson(script.body, "a script body");
      return script;
    case "websocket_handshake":
      validateStatus(script.status, 300, 599);
      validateHeaders(script.headers);
      if (script.body !== undefined) validateJson(script.body, "a script body");
      return script;
    case "stream": {
      if (!Array.isArray(script.steps)) throw invalid("a stream script needs a steps array");
      validateHeaders(script.headers);
      for (const step of script.steps as readonly unknown[]) {
        if (!isJsonObject(step) || typeof step.type !== "string" || !STEP_TYPES.has(step.type)) {
          throw invalid("unknown script step");
        }
        if (
          (step.type === "message" && typeof step.text !== "string") ||
          (step.type === "text_delta" && typeof step.delta !== "string") ||
          ((step.type === "output_item_added" || step.type === "output_item_done") &&
            !isJsonObject(step.item)) ||
          (step.type === "failed" &&
            (typeof step.code !== "string" || typeof step.message !== "string")) ||
          (step.type === "incomplete" && typeof step.reason !== "string") ||
          (step.type === "event" &&
            (!isJsonObject(step.event) || typeof step.event.type !== "string"))
        ) {
          throw invalid(`script step ${step.type} is missing a field`);
        }
        if (
          step.type === "message" &&
          step.chunkSize !== undefined &&
          (typeof step.chunkSize !== "number" ||
            !Number.isInteger(step.chunkSize) ||
            step.chunkSize < 1)
        ) {
          throw invalid("chunkSize must be a positive integer");
        }
        if (
          step.type === "event" ||
          step.type === "output_item_added" ||
          step.type === "output_item_done"
        ) {
          validateJson(step.type === "event" ? step.event : step.item, `script step ${step.type}`);
        }
      }
      return script;
    }
    default:
      throw invalid("unknown script kind");
  }
}

import { isJsonObject } from "@codex/wire";
import type { ResponseScript, ScriptStep, ScriptUsage } from "../response-script.js";

/** The fields of a Responses request body the fake model reads. */
export interface ResponsesRequest {
  readonly model: string;
  readonly input: readonly unknown[];
  readonly previousResponseId: string | undefined;
  /** false for a WebSocket prewarm (`generate: false`): created + completed, no output. */
  readonly generate: boolean;
}

/** One thing to do while streaming. */
export type StreamAction =
  | { readonly type: "event"; readonly event: Record<string, unknown> }
  | { readonly type: "stall" }
  | { readonly type: "disconnect" };

/** How to answer one Responses call. */
export type ResponsePlan =
  | {
      readonly kind: "status";
      readonly status: number;
      readonly body: unknown;
      readonly headers: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: "stream";
      readonly headers: Readonly<Record<string, string>>;
      readonly actions: readonly StreamAction[];
      /** The output items of a completed response (for `previous_response_id`). */
      readonly outputItems: readonly Record<string, unknown>[];
      readonly completed: boolean;
    };

/** Ids and clock for one response. */
export interface PlanContext {
  readonly responseId: string;
  readonly nowSeconds: number;
  readonly nextItemId: () => string;
}

const DEFAULT_CHUNK = 16;

/**
 * The text the echo model answers: the text parts of the last user message of `input`.
 *
 * @example
 * ```ts
 * echoText([{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }]); // "hi"
 * ```
 */
export function echoText(input: readonly unknown[]): string {
  for (let i = input.length - 1; i >= 0; i--) {
    const record = input[i];
    if (!isJsonObject(record)) continue;
    if (record.role !== "user") continue;
    if (record.type !== undefined && record.type !== "message") continue;
    const content = record.content;
    if (typeof content === "string") return content;
    if (!Array.isArray(content)) return "";
    const parts: string[] = [];
    for (const part of content) {
      if (isJsonObject(part) && typeof part.text === "string") {
        parts.push(part.text);
      }
    }
    return parts.join("");
  }
  return "";
}

function chunks(text: string, size: number): string[] {
  const points = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(""));
  return out;
}

function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

function usageJson(usage: ScriptUsage | undefined, inputChars: number, outputChars: number) {
  const input = usage?.inputTokens ?? estimateTokens(inputChars);
  const output = usage?.outputTokens ?? estimateTokens(outputChars);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.cachedInputTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.reasoningOutputTokens ?? 0 },
    total_tokens: input + output,
  };
}

/**
 * Turns a script (not a WebSocket handshake fault) into the exact events to send for one
 * request. Pure: ids and time come from `context`.
 */
export function planResponse(
  script: Exclude<ResponseScript, { kind: "websocket_handshake" }>,
  request: ResponsesRequest,
  context: PlanContext,
): ResponsePlan {
  if (script.kind === "status") {
    const headers: Record<string, string> = { ...script.headers };
    if (script.retryAfterSeconds !== undefined) {
      headers["retry-after"] = String(script.retryAfterSeconds);
    }
    return {
      kind: "status",
      status: script.status,
      body: script.body ?? {
        error: { message: "scripted failure", type: "server_error", param: null, code: null },
      },
      headers,
    };
  }
  let steps: readonly ScriptStep[];
  let headers: Readonly<Record<string, string>> = {};
  if (script.kind === "echo") {
    steps = request.generate
      ? [
          { type: "created" },
          { type: "message", text: echoText(request.input) },
          { type: "completed" },
        ]
      : [{ type: "created" }, { type: "completed" }];
  } else {
    steps = script.steps;
    headers = script.headers ?? {};
  }

  const actions: StreamAction[] = [];
  const output: Record<string, unknown>[] = [];
  let sequence = 0;
  let outputChars = 0;
  // The item text deltas belong to: opened by a `message`, an `output_item_added` step, or
  // (synthetic) by a bare `text_delta`, so a delta never arrives before its item was added.
  let open: { id: string; outputIndex: number; text: string; synthetic: boolean } | undefined;
  let completed = false;
  const inputChars = JSON.stringify(request.input).length;
  const responseShell = (status: string) => ({
    id: context.responseId,
    object: "response",
    created_at: context.nowSeconds,
    status,
    model: request.model,
    previous_response_id: request.previousResponseId ?? null,
  });
  const emit = (event: Record<string, unknown>) => {
    actions.push({ type: "event", event: { ...event, sequence_number: sequence++ } });
  };
  /** Closes a message item opened by bare deltas: `output_item.done` with the text so far. */
  const closeSynthetic = () => {
    if (open === undefined || !open.synthetic) return;
    const item = {
      id: open.id,
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: open.text, annotations: [] }],
    };
    output.push(item);
    emit({ type: "response.output_item.done", output_index: open.outputIndex, item });
    open = undefined;
  };

  for (const step of steps) {
    switch (step.type) {
      case "created":
        emit({
          type: "response.created",
          response: { ...responseShell("in_progress"), output: [] },
        });
        break;
      case "message": {
        closeSynthetic();
        const itemId = context.nextItemId();
        const outputIndex = output.length;
        emit({
          type: "response.output_item.added",
          output_index: outputIndex,
          item: {
            id: itemId,
            type: "message",
            status: "in_progress",
            role: "assistant",
            content: [],
          },
        });
        for (const delta of chunks(step.text, step.chunkSize ?? DEFAULT_CHUNK)) {
          emit({
            type: "response.output_text.delta",
            item_id: itemId,
            output_index: outputIndex,
            content_index: 0,
            delta,
          });
        }
        outputChars += step.text.length;
        const item = {
          id: itemId,
          type: "message",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: step.text, annotations: [] }],
        };
        output.push(item);
        emit({ type: "response.output_item.done", output_index: outputIndex, item });
        open = undefined;
        break;
      }
      case "text_delta":
        if (open === undefined) {
          open = {
            id: context.nextItemId(),
            outputIndex: output.length,
            text: "",
            synthetic: true,
          };
          emit({
            type: "response.output_item.added",
            output_index: open.outputIndex,
            item: {
              id: open.id,
              type: "message",
              status: "in_progress",
              role: "assistant",
              content: [],
            },
          });
        }
        open.text += step.delta;
        outputChars += step.delta.length;
        emit({
          type: "response.output_text.delta",
          item_id: open.id,
          output_index: open.outputIndex,
          content_index: 0,
          delta: step.delta,
        });
        break;
      case "output_item_added": {
        closeSynthetic();
        const id = step.item.id;
        open = {
          id: typeof id === "string" ? id : context.nextItemId(),
          outputIndex: output.length,
          text: "",
          synthetic: false,
        };
        emit({
          type: "response.output_item.added",
          output_index: output.length,
          item: { ...step.item },
        });
        break;
      }
      case "output_item_done":
        closeSynthetic();
        open = undefined;
        output.push({ ...step.item });
        emit({
          type: "response.output_item.done",
          output_index: output.length - 1,
          item: { ...step.item },
        });
        break;
      case "completed":
        closeSynthetic();
        completed = true;
        emit({
          type: "response.completed",
          response: {
            ...responseShell("completed"),
            output: [...output],
            usage: usageJson(step.usage, inputChars, outputChars),
            ...(step.endTurn === undefined ? {} : { end_turn: step.endTurn }),
          },
        });
        break;
      case "failed":
        closeSynthetic();
        emit({
          type: "response.failed",
          response: {
            ...responseShell("failed"),
            output: [...output],
            error: { code: step.code, message: step.message },
          },
        });
        break;
      case "incomplete":
        closeSynthetic();
        emit({
          type: "response.incomplete",
          response: {
            ...responseShell("incomplete"),
            output: [...output],
            incomplete_details: { reason: step.reason },
          },
        });
        break;
      case "event":
        emit({ ...step.event });
        break;
      case "stall":
        actions.push({ type: "stall" });
        break;
      case "disconnect":
        actions.push({ type: "disconnect" });
        break;
    }
  }
  return { kind: "stream", headers, actions, outputItems: output, completed };
}

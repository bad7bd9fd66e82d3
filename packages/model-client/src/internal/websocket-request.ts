import type { JsonObject, JsonValue } from "@codex/wire";
import type { WsLastExchange } from "./websocket-connection.js";

const IGNORED_FOR_REUSE = new Set(["input", "client_metadata", "generate", "previous_response_id"]);

function withoutReuseKeys(body: JsonObject): string {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (!IGNORED_FOR_REUSE.has(key)) out[key] = value;
  }
  return JSON.stringify(out);
}

/**
 * The incremental form of `body` on a socket whose previous request completed: same request
 * apart from the input, and an input that starts with the previous input plus the previous
 * output. Returns the previous response id and the remaining input, or undefined (send all).
 */
export function incrementalInput(
  last: WsLastExchange | undefined,
  body: JsonObject,
): { previousResponseId: string; input: JsonValue[] } | undefined {
  if (last === undefined) return undefined;
  if (withoutReuseKeys(last.request) !== withoutReuseKeys(body)) return undefined;
  const previous = Array.isArray(last.request.input) ? last.request.input : [];
  const baseline = [...previous, ...last.outputItems];
  const input = Array.isArray(body.input) ? body.input : [];
  if (input.length < baseline.length) return undefined;
  for (let i = 0; i < baseline.length; i++) {
    if (JSON.stringify(input[i]) !== JSON.stringify(baseline[i])) return undefined;
  }
  return { previousResponseId: last.responseId, input: input.slice(baseline.length) };
}

/**
 * A `response.create` frame from a `/responses` body, keys in the 0.169 order: `type`, the
 * body's keys with `previous_response_id` just before `input`, `generate` (prewarm only), then
 * `client_metadata`.
 */
export function responseCreateMessage(
  body: JsonObject,
  options: {
    readonly input: JsonValue[];
    readonly previousResponseId?: string;
    readonly generate?: boolean;
    readonly clientMetadata: JsonObject;
  },
): JsonObject {
  const message: JsonObject = { type: "response.create" };
  for (const [key, value] of Object.entries(body)) {
    if (key === "client_metadata") continue;
    if (key === "input") {
      if (options.previousResponseId !== undefined) {
        message.previous_response_id = options.previousResponseId;
      }
      message.input = options.input;
      continue;
    }
    message[key] = value;
  }
  if (options.generate === false) message.generate = false;
  message.client_metadata = options.clientMetadata;
  return message;
}

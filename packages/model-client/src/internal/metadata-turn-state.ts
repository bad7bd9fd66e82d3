import { isJsonObject, type JsonObject, type JsonValue } from "@codex/wire";
import { X_CODEX_TURN_STATE_HEADER } from "./request-headers.js";

/** A header value carried in JSON: a string, or the first string of a list of them. */
function headerString(value: JsonValue | undefined): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return headerString(value[0]);
  return undefined;
}

/**
 * The `x-codex-turn-state` a Responses `response.metadata` event carries in its `headers`
 * object (header names matched without regard to case, as upstream's `turn_state()`), or
 * undefined for any other event, a missing header or an empty value.
 */
export function turnStateFromMetadataEvent(event: JsonObject): string | undefined {
  if (event.type !== "response.metadata" || !isJsonObject(event.headers)) return undefined;
  for (const [name, value] of Object.entries(event.headers)) {
    if (name.toLowerCase() !== X_CODEX_TURN_STATE_HEADER) continue;
    const state = headerString(value);
    if (state !== undefined && state !== "") return state;
  }
  return undefined;
}

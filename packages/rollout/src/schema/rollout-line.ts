import { type EventMsg, parseEventMsg, serializeEventMsg } from "./event-msg.js";
import { fail, isObject } from "../internal/json.js";
import type { JsonObject } from "../json-value.js";
import { parseResponseItem, type ResponseItem, serializeResponseItem } from "./response-item.js";
import { RolloutError } from "../rollout-error.js";
import {
  parseSessionMetaLine,
  type SessionMetaLine,
  serializeSessionMetaLine,
} from "./session-meta.js";
import {
  type CompactedItem,
  parseCompactedItem,
  parseTurnContextItem,
  serializeCompactedItem,
  serializeTurnContextItem,
  type TurnContextItem,
} from "./turn-context.js";

/** One rollout item, adjacently tagged on the wire (`type` + `payload`). */
export type RolloutItem =
  | { type: "session_meta"; payload: SessionMetaLine }
  | { type: "response_item"; payload: ResponseItem }
  | { type: "compacted"; payload: CompactedItem }
  | { type: "turn_context"; payload: TurnContextItem }
  | { type: "event_msg"; payload: EventMsg };

/** One line of a rollout file. `timestamp` is the write time (UTC, millisecond precision). */
export type RolloutLine = { timestamp: string } & RolloutItem;

const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Formats a time as a rollout timestamp: `YYYY-MM-DDThh:mm:ss.SSSZ` (UTC, 3 fraction digits).
 *
 * @example formatRolloutTimestamp(new Date(0)) // "1970-01-01T00:00:00.000Z"
 */
export function formatRolloutTimestamp(time: Date | number): string {
  const d = typeof time === "number" ? new Date(time) : time;
  if (Number.isNaN(d.getTime())) throw new RolloutError("invalid_argument", "invalid time");
  return d.toISOString();
}

/** True when `s` is a well-formed rollout timestamp. */
export function isRolloutTimestamp(s: string): boolean {
  return TIMESTAMP_RE.test(s);
}

/** Parses an item from its tag and payload; throws `invalid_line` on anything unknown. */
export function parseRolloutItem(type: unknown, payload: unknown): RolloutItem {
  switch (type) {
    case "session_meta":
      return { type, payload: parseSessionMetaLine(payload) };
    case "response_item":
      return { type, payload: parseResponseItem(payload) };
    case "compacted":
      return { type, payload: parseCompactedItem(payload) };
    case "turn_context":
      return { type, payload: parseTurnContextItem(payload) };
    case "event_msg":
      return { type, payload: parseEventMsg(payload) };
    default:
      fail("rollout line: unknown item type");
  }
}

/**
 * Parses an already-decoded JSON value as a `RolloutLine`. An optional integer `ordinal`
 * (later upstream) is accepted and ignored.
 */
export function parseRolloutLine(value: unknown): RolloutLine {
  if (!isObject(value)) fail("rollout line: must be a JSON object");
  const ts = value.timestamp;
  if (typeof ts !== "string") fail("rollout line: timestamp must be a string");
  const payload = value.payload;
  switch (value.type) {
    case "session_meta":
      return { timestamp: ts, type: "session_meta", payload: parseSessionMetaLine(payload) };
    case "response_item":
      return { timestamp: ts, type: "response_item", payload: parseResponseItem(payload) };
    case "compacted":
      return { timestamp: ts, type: "compacted", payload: parseCompactedItem(payload) };
    case "turn_context":
      return { timestamp: ts, type: "turn_context", payload: parseTurnContextItem(payload) };
    case "event_msg":
      return { timestamp: ts, type: "event_msg", payload: parseEventMsg(payload) };
    default:
      fail("rollout line: unknown item type");
  }
}

/** Parses the text of one line (without its `\n`). Throws `invalid_line`. */
export function parseRolloutLineText(text: string): RolloutLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new RolloutError("invalid_line", "rollout line is not valid JSON", { cause });
  }
  return parseRolloutLine(value);
}

/**
 * The wire payload of an item, or `null` when the item is never persisted
 * (a `response_item` of unknown type).
 */
export function serializeRolloutItemPayload(item: RolloutItem): JsonObject | null {
  switch (item.type) {
    case "session_meta":
      return serializeSessionMetaLine(item.payload);
    case "response_item":
      return serializeResponseItem(item.payload);
    case "compacted":
      return serializeCompactedItem(item.payload);
    case "turn_context":
      return serializeTurnContextItem(item.payload);
    case "event_msg":
      return serializeEventMsg(item.payload);
    default:
      throw new RolloutError("invalid_argument", "unknown rollout item type");
  }
}

/**
 * Checks that an in-memory item (possibly built by untyped code) serialises to a line that
 * reads back as a valid item; returns the serialised payload. Throws `invalid_argument`.
 */
export function validateRolloutItem(item: RolloutItem): JsonObject | null {
  let payload: JsonObject | null;
  try {
    payload = serializeRolloutItemPayload(item);
    if (payload === null) return null;
    parseRolloutItem(item.type, JSON.parse(JSON.stringify(payload)));
  } catch (cause) {
    throw new RolloutError("invalid_argument", "not a valid rollout item", { cause });
  }
  return payload;
}

/**
 * Serializes one line: compact JSON, keys `timestamp`, `type`, `payload`, terminated by `\n`.
 * Returns `null` for items that are never persisted.
 *
 * @example serializeRolloutLine("2026-05-08T19:36:02.140Z", { type: "event_msg", payload: { type: "context_compacted" } })
 */
export function serializeRolloutLine(timestamp: string, item: RolloutItem): string | null {
  const payload = serializeRolloutItemPayload(item);
  if (payload === null) return null;
  return `${JSON.stringify({ timestamp, type: item.type, payload })}\n`;
}

import { formatRfc3339Millis, isJsonObject, type JsonObject, type JsonValue } from "@codex/wire";
import { z } from "zod";
import { jsonObject, jsonValue, parseWith } from "../internal/zod-shape.js";
import { RolloutError } from "../rollout-error.js";
import { type EventMsg, parseEventMsg, serializeEventMsg } from "./event-msg.js";
import { parseResponseItem, type ResponseItem, serializeResponseItem } from "./response-item.js";
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

/**
 * One rollout item, adjacently tagged on the wire (`type` + `payload`).
 *
 * `world_state` and `token_usage_record` (written by upstream 0.169) are kept as JSON; a line
 * type this version does not know reads as `unknown` with its `original_type`, never as an
 * error, and is written back unchanged.
 */
export type RolloutItem =
  | { type: "session_meta"; payload: SessionMetaLine }
  | { type: "response_item"; payload: ResponseItem }
  | { type: "compacted"; payload: CompactedItem }
  | { type: "turn_context"; payload: TurnContextItem }
  | { type: "event_msg"; payload: EventMsg }
  | { type: "world_state"; payload: JsonValue }
  | { type: "token_usage_record"; payload: JsonValue }
  | { type: "unknown"; original_type: string; payload: JsonValue };

/**
 * The line envelope: `timestamp`, 0.169's optional `ordinal` (its position in a paginated
 * rollout) and `metadata`, the item tag and its payload (checked per tag afterwards).
 */
export const rolloutLineEnvelopeSchema = z.object({
  timestamp: z.string(),
  // Plain `.optional()` (upstream never writes them as null): no transform on the hot path.
  ordinal: z.number().int().nonnegative().optional(),
  type: z.string(),
  payload: jsonValue,
  metadata: jsonObject.optional(),
});

/** Line-level fields besides the item. */
export interface RolloutLineFields {
  /** Write time (UTC, millisecond precision). */
  timestamp: string;
  /** Position in a paginated (0.169) rollout; absent on legacy lines. */
  ordinal?: number;
  /** Line metadata written by 0.169, kept as JSON. */
  metadata?: JsonObject;
  /**
   * Line-level keys this version does not know (a newer writer's), kept so that a read → write
   * round trip loses nothing; written back after the known keys.
   */
  extra?: JsonObject;
}

/** One line of a rollout file. */
export type RolloutLine = RolloutLineFields & RolloutItem;

const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Formats a time as a rollout timestamp: `YYYY-MM-DDThh:mm:ss.SSSZ` (UTC, 3 fraction digits).
 *
 * @example formatRolloutTimestamp(new Date(0)) // "1970-01-01T00:00:00.000Z"
 */
export function formatRolloutTimestamp(time: Date | number): string {
  try {
    return formatRfc3339Millis(time);
  } catch (cause) {
    throw new RolloutError("invalid_argument", "invalid time", { cause });
  }
}

/** True when `s` is a well-formed rollout timestamp. */
export function isRolloutTimestamp(s: string): boolean {
  return TIMESTAMP_RE.test(s);
}

/** Parses an item from its tag and payload; throws `invalid_line` when a known shape breaks. */
export function parseRolloutItem(type: string, payload: unknown): RolloutItem {
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
    case "world_state":
    case "token_usage_record":
      return { type, payload: payload as JsonValue };
    default:
      return { type: "unknown", original_type: type, payload: payload as JsonValue };
  }
}

/**
 * Parses an already-decoded JSON value as a `RolloutLine`: the envelope, then the payload of
 * its tag. Throws `invalid_line`.
 */
export function parseRolloutLine(value: unknown): RolloutLine {
  const env = parseWith(rolloutLineEnvelopeSchema, value, "rollout line");
  const ts = env.timestamp;
  const type = env.type;
  const payload = env.payload;
  // One object per line, built directly (this runs for every line of a resumed file).
  let line: RolloutLine;
  switch (type) {
    case "session_meta":
      line = { timestamp: ts, type, payload: parseSessionMetaLine(payload) };
      break;
    case "response_item":
      line = { timestamp: ts, type, payload: parseResponseItem(payload) };
      break;
    case "compacted":
      line = { timestamp: ts, type, payload: parseCompactedItem(payload) };
      break;
    case "turn_context":
      line = { timestamp: ts, type, payload: parseTurnContextItem(payload) };
      break;
    case "event_msg":
      line = { timestamp: ts, type, payload: parseEventMsg(payload) };
      break;
    case "world_state":
    case "token_usage_record":
      line = { timestamp: ts, type, payload };
      break;
    default:
      line = { timestamp: ts, type: "unknown", original_type: type, payload };
  }
  if (env.ordinal !== undefined) line.ordinal = env.ordinal;
  if (env.metadata !== undefined) line.metadata = env.metadata;
  const extra = unknownLineKeys(value as Record<string, JsonValue>);
  if (extra !== undefined) line.extra = extra;
  return line;
}

const KNOWN_LINE_KEYS = new Set(["timestamp", "ordinal", "type", "payload", "metadata"]);

/** The keys of a decoded line that are not part of the envelope, or undefined (the usual case). */
function unknownLineKeys(raw: Record<string, JsonValue>): JsonObject | undefined {
  let extra: JsonObject | undefined;
  for (const key in raw) {
    if (KNOWN_LINE_KEYS.has(key)) continue;
    extra ??= {};
    // defineProperty: a key named __proto__ stays data, never a prototype swap.
    Object.defineProperty(extra, key, {
      value: raw[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return extra;
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
export function serializeRolloutItemPayload(item: RolloutItem): JsonValue | null {
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
    case "world_state":
    case "token_usage_record":
    case "unknown":
      if (item.payload === undefined) {
        throw new RolloutError("invalid_argument", "an opaque rollout item needs a payload");
      }
      return item.payload;
    default:
      throw new RolloutError("invalid_argument", "unknown rollout item type");
  }
}

function wireType(item: RolloutItem): string {
  return item.type === "unknown" ? item.original_type : item.type;
}

/**
 * Checks that an in-memory item (possibly built by untyped code) serialises to a line that
 * reads back as a valid item; returns the serialised payload. Throws `invalid_argument`.
 */
export function validateRolloutItem(item: RolloutItem): JsonValue | null {
  let payload: JsonValue | null;
  try {
    payload = serializeRolloutItemPayload(item);
    if (payload === null) return null;
    if (item.type === "unknown" && typeof item.original_type !== "string") {
      throw new RolloutError("invalid_argument", "an unknown item needs its original type");
    }
    parseRolloutItem(wireType(item), JSON.parse(JSON.stringify(payload)));
  } catch (cause) {
    throw new RolloutError("invalid_argument", "not a valid rollout item", { cause });
  }
  return payload;
}

/** Line-level fields to write besides the timestamp (see {@link serializeRolloutLine}). */
export interface SerializeLineOptions {
  /** Written after `timestamp` (0.169's paginated rollouts number every line). */
  ordinal?: number;
  /** Written after `payload`. */
  metadata?: JsonObject;
  /** Unknown line-level keys read from a newer writer's line ({@link RolloutLineFields.extra}), written last. */
  extra?: JsonObject;
}

/**
 * Serializes one line: compact JSON, keys `timestamp`, [`ordinal`], `type`, `payload`,
 * [`metadata`], then any unknown keys kept from a read (`extra`), terminated by `\n`. Returns `null` for items that are never persisted.
 *
 * @example serializeRolloutLine("2026-05-08T19:36:02.140Z", { type: "event_msg", payload: { type: "context_compacted" } })
 */
export function serializeRolloutLine(
  timestamp: string,
  item: RolloutItem,
  options: SerializeLineOptions = {},
): string | null {
  const payload = serializeRolloutItemPayload(item);
  if (payload === null) return null;
  const line: Record<string, unknown> = { timestamp };
  if (options.ordinal !== undefined) line.ordinal = options.ordinal;
  line.type = wireType(item);
  line.payload = payload;
  if (options.metadata !== undefined && isJsonObject(options.metadata)) {
    line.metadata = options.metadata;
  }
  if (options.extra !== undefined && isJsonObject(options.extra)) {
    for (const [key, value] of Object.entries(options.extra)) {
      if (Object.hasOwn(line, key)) continue; // never overwrite the envelope
      Object.defineProperty(line, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return `${JSON.stringify(line)}\n`;
}

/**
 * What an app-server wrote on stdout during a scenario, reduced to what two implementations must
 * share: the message kinds in order, every member's name and JSON type (recursively), the values
 * of discriminator members (`type`, `status`, `authMode`, …), error codes and, where
 * deterministic, error messages. Ids, timestamps, tokens, paths and other free values are
 * compared by type only.
 */

/** One message the server wrote, parsed. */
export type ServerMessage =
  | { readonly kind: "response"; readonly id: unknown; readonly result: unknown; readonly raw: Raw }
  | {
      readonly kind: "error";
      readonly id: unknown;
      readonly code: unknown;
      readonly message: unknown;
      readonly raw: Raw;
    }
  | {
      readonly kind: "notification";
      readonly method: string;
      readonly params: unknown;
      readonly raw: Raw;
    }
  | {
      readonly kind: "serverRequest";
      readonly id: unknown;
      readonly method: string;
      readonly params: unknown;
      readonly raw: Raw;
    }
  | { readonly kind: "other"; readonly raw: Raw };

/** The parsed line as written (a JSON object). */
export type Raw = Readonly<Record<string, unknown>>;

/**
 * Notifications upstream sends on its own, unrelated to the request being checked (its doc §2,
 * §5): start-up warnings, remote control, MCP start-up, token usage, rate-limit pushes, thread
 * status and read state. They are dropped from both transcripts before comparing.
 */
export const IGNORED_NOTIFICATIONS: ReadonlySet<string> = new Set([
  "configWarning",
  "remoteControl/status/changed",
  "warning",
  "thread/status/changed",
  "thread/tokenUsage/updated",
  "account/rateLimits/updated",
  "mcpServer/startupStatus/updated",
  "thread/readState/changed",
]);

/**
 * Members whose string value is a discriminator or enum and is compared verbatim; every other
 * string is compared as `string`.
 */
export const DISCRIMINATOR_KEYS: ReadonlySet<string> = new Set([
  "type",
  "status",
  "authMode",
  "authMethod",
  "planType",
  "reason",
  "itemsView",
  "codexErrorInfo",
  "platformFamily",
  "platformOs",
  "source",
  "approvalPolicy",
  "limitId",
  "method",
]);

/** Classifies one parsed line. */
export function classify(raw: Raw): ServerMessage {
  const hasId = "id" in raw;
  if (typeof raw.method === "string") {
    return hasId
      ? { kind: "serverRequest", id: raw.id, method: raw.method, params: raw.params, raw }
      : { kind: "notification", method: raw.method, params: raw.params, raw };
  }
  if (hasId && "error" in raw) {
    const error = (raw.error ?? {}) as Record<string, unknown>;
    return { kind: "error", id: raw.id, code: error.code, message: error.message, raw };
  }
  if (hasId && "result" in raw) return { kind: "response", id: raw.id, result: raw.result, raw };
  return { kind: "other", raw };
}

/** A JSON value reduced to its structure (see the module comment). */
export type Shape = string | readonly Shape[] | { readonly [key: string]: Shape };

/** The structure of a JSON value: types, member names, discriminator values. */
export function shapeOf(value: unknown, key?: string): Shape {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.map((item) => shapeOf(item));
  switch (typeof value) {
    case "string":
      return key !== undefined && DISCRIMINATOR_KEYS.has(key) ? `string:${value}` : "string";
    case "number":
      return Number.isInteger(value) ? "integer" : "number";
    case "boolean":
      return "boolean";
    case "object": {
      const out: Record<string, Shape> = {};
      for (const k of Object.keys(value as object).sort()) {
        out[k] = shapeOf((value as Record<string, unknown>)[k], k);
      }
      return out;
    }
    default:
      return typeof value;
  }
}

/** How a transcript entry is compared; one per message kept. */
export interface Signature {
  /** `response`, `error`, `notification <method>`, `serverRequest <method>`. */
  readonly kind: string;
  /** The request id the response answers (our driver's ids are the same on both sides). */
  readonly id?: unknown;
  /** Error code, verbatim. */
  readonly code?: unknown;
  /** Error message, verbatim, or `string` when the step marked it nondeterministic. */
  readonly message?: unknown;
  /** Envelope members (sorted), e.g. `emittedAtMs, method, params`. */
  readonly envelope: readonly string[];
  /** Shape of `result` / `params`. */
  readonly body?: Shape;
}

/** Options of {@link signatures}. */
export interface SignatureOptions {
  /** Ids of requests whose error message is not compared verbatim. */
  readonly looseMessageIds?: ReadonlySet<unknown>;
}

/** The comparable form of a transcript: ignored notifications dropped, every entry reduced. */
export function signatures(
  messages: readonly ServerMessage[],
  options: SignatureOptions = {},
): Signature[] {
  const out: Signature[] = [];
  for (const message of messages) {
    const envelope = Object.keys(message.raw).sort();
    switch (message.kind) {
      case "notification":
        if (IGNORED_NOTIFICATIONS.has(message.method)) break;
        out.push({
          kind: `notification ${message.method}`,
          envelope,
          body: shapeOf(message.params),
        });
        break;
      case "serverRequest":
        out.push({
          kind: `serverRequest ${message.method}`,
          envelope,
          id: typeof message.id,
          body: shapeOf(message.params),
        });
        break;
      case "response":
        out.push({ kind: "response", id: message.id, envelope, body: shapeOf(message.result) });
        break;
      case "error":
        out.push({
          kind: "error",
          id: message.id,
          envelope,
          code: message.code,
          message:
            options.looseMessageIds?.has(message.id) === true
              ? typeof message.message
              : message.message,
          body: shapeOf((message.raw.error ?? {}) as unknown),
        });
        break;
      case "other":
        out.push({ kind: "other", envelope, body: shapeOf(message.raw) });
        break;
    }
  }
  return out;
}

/** The kept messages (ignored notifications dropped), for assertions on values. */
export function kept(messages: readonly ServerMessage[]): ServerMessage[] {
  return messages.filter(
    (m) => !(m.kind === "notification" && IGNORED_NOTIFICATIONS.has(m.method)),
  );
}

/** One line per kept message (`← response #3`, `← notification account/updated`), for reports. */
export function outline(messages: readonly ServerMessage[]): string[] {
  return kept(messages).map((m) => {
    switch (m.kind) {
      case "response":
        return `response #${String(m.id)}`;
      case "error":
        return `error #${String(m.id)} ${String(m.code)} ${String(m.message).slice(0, 80)}`;
      case "notification":
        return `notification ${m.method}`;
      case "serverRequest":
        return `serverRequest ${m.method}`;
      default:
        return `other ${JSON.stringify(m.raw).slice(0, 80)}`;
    }
  });
}

import { isJsonObject, type JsonObject, type JsonValue } from "@codex/wire";
import { type ZodError, z } from "zod";
import { RolloutError } from "../rollout-error.js";

/**
 * A key upstream may write as `null` or leave out: both read as absent (`undefined`), so the
 * serializer omits it.
 */
export function omittable<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .transform((v): z.output<T> | undefined => (v === null ? undefined : v))
    .optional();
}

/** A key that is always written, `null` when absent (missing reads as `null`). */
export function nullable<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((v): z.output<T> | null => (v === undefined ? null : v));
}

/**
 * Any JSON value. Values read from a file came out of `JSON.parse`, and in-memory items are
 * checked after a JSON round trip, so only `undefined` needs refusing; deep re-validation would
 * cost a walk of every nested value per line.
 */
export const jsonValue = z.custom<JsonValue>((v) => v !== undefined, "expected a JSON value");

/** A JSON object (see {@link jsonValue} for why its members are not walked). */
export const jsonObject = z.custom<JsonObject>((v) => isJsonObject(v), "expected a JSON object");

/** The one mapping from a zod failure to this package's error: `invalid_line`, naming the path. */
export function rolloutErrorFromZod(error: ZodError, what: string): RolloutError {
  const issue = error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? "" : `.${issue.path.join(".")}`;
  return new RolloutError("invalid_line", `${what}${path}: ${issue?.message ?? "invalid"}`, {
    cause: error,
  });
}

/**
 * Parses `value` with `schema` or throws the mapped `invalid_line` error, named `what`
 * (+ `.tag` when given; joined only on failure, since this runs once per line).
 */
export function parseWith<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
  tag?: string,
): z.output<T> {
  // No parse options: passing any disables zod's compiled fast path (measured 10x slower).
  // Issues never carry the input by default (`reportInput` is off), so no line text leaks.
  const r = schema.safeParse(value);
  if (!r.success) throw rolloutErrorFromZod(r.error, tag === undefined ? what : `${what}.${tag}`);
  return r.data as z.output<T>;
}

/** The declared keys of an object schema (so a serializer can append the unknown ones). */
export function keysOf(shape: object): ReadonlySet<string> {
  return new Set(Object.keys(shape));
}

/**
 * Copies the keys of `source` that its schema does not declare (unknown to this version, written
 * by a newer upstream) onto `target`, after the known ones, so they survive read → write.
 */
export function appendUnknownKeys(
  target: Record<string, unknown>,
  source: object,
  known: ReadonlySet<string>,
): void {
  for (const [k, v] of Object.entries(source)) {
    if (v !== undefined && !known.has(k) && !(k in target)) target[k] = v;
  }
}

/**
 * `target` (a rebuilt nested object) plus every key of `source` it does not already hold, in
 * `source`'s order: for nested shapes whose unknown keys must survive read → write too.
 */
export function withUnknownKeys<T extends Record<string, unknown>>(target: T, source: object): T {
  for (const [k, v] of Object.entries(source)) {
    if (v !== undefined && !(k in target)) (target as Record<string, unknown>)[k] = v;
  }
  return target;
}

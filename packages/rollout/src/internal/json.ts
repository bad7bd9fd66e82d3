import type { JsonObject, JsonValue } from "../json-value.js";
import { RolloutError } from "../rollout-error.js";

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function fail(what: string): never {
  throw new RolloutError("invalid_line", what);
}

export function reqString(o: Record<string, unknown>, key: string, ctx: string): string {
  const v = o[key];
  if (typeof v !== "string") fail(`${ctx}: "${key}" must be a string`);
  return v;
}

/** Missing or null → null; string → string; else error. */
export function nullableString(
  o: Record<string, unknown>,
  key: string,
  ctx: string,
): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") fail(`${ctx}: "${key}" must be a string or null`);
  return v;
}

/** Missing or null → undefined. */
export function optString(
  o: Record<string, unknown>,
  key: string,
  ctx: string,
): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") fail(`${ctx}: "${key}" must be a string`);
  return v;
}

export function optBoolean(
  o: Record<string, unknown>,
  key: string,
  ctx: string,
): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") fail(`${ctx}: "${key}" must be a boolean`);
  return v;
}

export function optInteger(
  o: Record<string, unknown>,
  key: string,
  ctx: string,
): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) fail(`${ctx}: "${key}" must be an integer`);
  return v;
}

export function reqInteger(o: Record<string, unknown>, key: string, ctx: string): number {
  const v = optInteger(o, key, ctx);
  if (v === undefined) fail(`${ctx}: "${key}" is required`);
  return v;
}

export function reqObject(
  o: Record<string, unknown>,
  key: string,
  ctx: string,
): Record<string, unknown> {
  const v = o[key];
  if (!isObject(v)) fail(`${ctx}: "${key}" must be an object`);
  return v;
}

export function reqArray(o: Record<string, unknown>, key: string, ctx: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(`${ctx}: "${key}" must be an array`);
  return v;
}

export function stringArray(v: unknown, ctx: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
    fail(`${ctx} must be an array of strings`);
  }
  return v as string[];
}

/**
 * Values produced by JSON.parse are JSON values by construction; this narrows without copying.
 * Only call it on data that came out of JSON.parse.
 */
export function asJson(v: unknown): JsonValue {
  return v as JsonValue;
}

export function asJsonObject(v: Record<string, unknown>): JsonObject {
  return v as JsonObject;
}

/** `v` when it is one of `allowed`; else an `invalid_line` error naming `what`. */
export function oneOf<T extends string>(v: unknown, allowed: readonly T[], what: string): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    fail(`${what} must be one of ${allowed.join(", ")}`);
  }
  return v as T;
}

import { RolloutError } from "../rollout-error.js";

/** Throws `invalid_argument` unless `v` is a non-empty string. */
export function requirePath(name: string, v: unknown): asserts v is string {
  if (typeof v !== "string" || v === "" || v.includes("\0")) {
    throw new RolloutError("invalid_argument", `${name} must be a non-empty path string`);
  }
}

/** Throws `invalid_argument` unless `v` is a string. */
export function requireString(name: string, v: unknown): asserts v is string {
  if (typeof v !== "string") throw new RolloutError("invalid_argument", `${name} must be a string`);
}

import { isJsonObject } from "@codex/wire";
import { AgentIdentityError } from "../agent-identity-error.js";

/** Longest identifier, task id or timestamp accepted (UTF-16 code units). */
export const MAX_FIELD_LENGTH = 65_536;

/** Longest base URL accepted by the URL helpers. */
export const MAX_URL_LENGTH = 8_192;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws `invalid_argument` unless `value` is a string, `input_too_large` past `maxLength`. */
export function requireString(value: unknown, name: string, maxLength: number): string {
  if (typeof value !== "string") {
    throw new AgentIdentityError("invalid_argument", `${name} must be a string`);
  }
  if (value.length > maxLength) {
    throw new AgentIdentityError(
      "input_too_large",
      `${name} is longer than ${maxLength} characters`,
    );
  }
  return value;
}

/**
 * A string that goes on the wire as UTF-8: must be well-formed UTF-16 (no lone surrogates, which
 * would silently become U+FFFD and make the signed bytes differ from the sent ones).
 */
export function requireWireString(
  value: unknown,
  name: string,
  maxLength = MAX_FIELD_LENGTH,
): string {
  const text = requireString(value, name, maxLength);
  if (LONE_SURROGATE.test(text)) {
    throw new AgentIdentityError(
      "invalid_argument",
      `${name} must be well-formed Unicode (it contains a lone surrogate)`,
    );
  }
  return text;
}

/** Like {@link requireWireString}, and also not empty. */
export function requireNonEmptyWireString(
  value: unknown,
  name: string,
  maxLength = MAX_FIELD_LENGTH,
): string {
  const text = requireWireString(value, name, maxLength);
  if (text.length === 0) {
    throw new AgentIdentityError("invalid_argument", `${name} must not be empty`);
  }
  return text;
}

/** Throws `invalid_argument` unless `value` is a non-null, non-array object. */
export function requireObject(value: unknown, name: string): Record<string, unknown> {
  if (!isJsonObject(value)) {
    throw new AgentIdentityError("invalid_argument", `${name} must be an object`);
  }
  return value;
}

/** Throws `invalid_argument` unless `value` is a `Uint8Array` of exactly `length` bytes. */
export function requireBytes(value: unknown, name: string, length: number): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new AgentIdentityError("invalid_argument", `${name} must be a Uint8Array`);
  }
  if (value.length !== length) {
    throw new AgentIdentityError("invalid_argument", `${name} must be exactly ${length} bytes`);
  }
  return value;
}

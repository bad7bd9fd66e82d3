import type { z } from "zod";
import { AppServerProtocolError } from "../protocol-error.js";

/** Summarises zod issues as `path: message` without quoting input values. */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.length === 0 ? "(root)" : issue.path.map(String).join(".");
    return `${path}: ${issue.message}`;
  });
  if (error.issues.length > 5) parts.push(`and ${error.issues.length - 5} more`);
  return parts.join("; ");
}

/** Throws `invalid_options` unless `value` is a positive safe integer. */
export function checkPositiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new AppServerProtocolError("invalid_options", `${name} must be a positive integer`);
  }
  return value;
}

/** Validates `value` against `schema`; throws `code` naming `what` when it does not fit. */
export function validateOrThrow(
  schema: z.ZodType,
  value: unknown,
  code: "invalid_params" | "invalid_result",
  what: string,
): unknown {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppServerProtocolError(
      code,
      `${what} failed validation: ${describeIssues(parsed.error)}`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

/** Serialises `message`; throws `invalid_params` naming `what` when it cannot be. */
export function stringify(message: object, what: string): string {
  try {
    return JSON.stringify(message);
  } catch (cause) {
    throw new AppServerProtocolError("invalid_params", `${what} cannot be serialised as JSON`, {
      cause,
    });
  }
}

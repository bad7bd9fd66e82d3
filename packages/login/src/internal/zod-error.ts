// The one place where a zod validation failure becomes a LoginError. The message names the field
// (its path in the schema) and what was expected, never the value that was found, so a token, key
// or code in a bad reply or file cannot reach a message or a log. The ZodError is not kept as
// `cause` either: custom checks could put input into its issues.
import type { z } from "zod";
import { LoginError, type LoginErrorCode } from "../errors.js";

type Issue = z.core.$ZodIssue;

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function pathOf(issue: Issue): string {
  return issue.path.length === 0 ? "the top level" : issue.path.map(String).join(".");
}

/** One issue as "`path` what is wrong", without the offending value. */
export function describeZodIssue(issue: Issue): string {
  const path = pathOf(issue);
  switch (issue.code) {
    case "invalid_type":
      // zod's own message says which type it received ("received undefined"), never the value
      if (/received undefined$/.test(issue.message) && issue.path.length > 0) {
        return `${path} is missing (must be ${article(issue.expected)})`;
      }
      return `${path} must be ${article(issue.expected)}`;
    case "invalid_value":
      return `${path} is not one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) === 1) return `${path} is empty`;
      return `${path} is too small`;
    case "too_big":
      return `${path} is too big`;
    case "invalid_format":
      return `${path} is not a valid ${issue.format}`;
    case "custom":
      // custom checks in this package write their own value-free messages
      return `${path} ${issue.message}`;
    default:
      return `${path} is invalid`;
  }
}

/** Options of {@link loginErrorFromZod}. */
export interface ZodLoginErrorOptions {
  /** HTTP status of the reply that failed validation, if any. */
  readonly status?: number | undefined;
  /**
   * Append the first issue to `subject` (default). `false` keeps `subject` as the whole message,
   * for replies whose failure message is fixed (and pinned by callers).
   */
  readonly detail?: boolean | undefined;
}

/**
 * Maps a ZodError to the package's error: `{subject}: {first issue}` (plus how many more), code
 * `code`; with `detail: false` the message is `subject` alone.
 */
export function loginErrorFromZod(
  error: z.ZodError,
  code: LoginErrorCode,
  subject: string,
  options: ZodLoginErrorOptions = {},
): LoginError {
  const [first, ...rest] = error.issues;
  const detail = first === undefined ? "invalid" : describeZodIssue(first);
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : "";
  return new LoginError(
    code,
    options.detail === false ? subject : `${subject}: ${detail}${more}`,
    options.status === undefined ? {} : { status: options.status },
  );
}

/** Parses `value` with `schema`, or throws {@link loginErrorFromZod}'s error. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code: LoginErrorCode,
  subject: string,
  options: ZodLoginErrorOptions = {},
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw loginErrorFromZod(result.error, code, subject, options);
  return result.data;
}

import type { z } from "zod";

/**
 * Turns the first zod issue of a failed parse into the text upstream's serde decoding prints for
 * the same input (`missing field \`name\``, `invalid type: string "yes", expected a boolean`,
 * ``unknown variant `bogus`, expected one of `apiKey`, …``). Values are quoted the way serde quotes
 * them; only the offending scalar is quoted, never a whole payload.
 */

type Issue = z.core.$ZodIssue;

/** Upstream's variant lists of tagged unions, by the name of the tag's union (e.g. login types). */
export type VariantLists = Readonly<Record<string, readonly string[]>>;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** serde's `Unexpected` display of a JSON value. */
export function unexpectedValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `string ${clip(JSON.stringify(value))}`;
  if (typeof value === "boolean") return `boolean \`${value}\``;
  if (typeof value === "number") {
    return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  }
  if (Array.isArray(value)) return "a sequence";
  return "a map";
}

function expectedText(expected: string, structName: string | undefined): string {
  switch (expected) {
    case "boolean":
      return "a boolean";
    case "string":
      return "a string";
    case "int":
    case "bigint":
      return "i64";
    case "number":
      return "f64";
    case "array":
      return "a sequence";
    case "object":
      return structName === undefined ? "a map" : `struct ${structName}`;
    case "null":
      return "unit";
    default:
      return expected;
  }
}

/** ``expected `a` `` / ``expected `a` or `b` `` / ``expected one of `a`, `b`, `c` `` (serde's wording). */
export function expectedOneOf(values: readonly string[]): string {
  const quoted = values.map((v) => `\`${v}\``);
  if (quoted.length === 0) return "there are no variants";
  if (quoted.length === 1) return `expected ${quoted[0]}`;
  if (quoted.length === 2) return `expected ${quoted[0]} or ${quoted[1]}`;
  return `expected one of ${quoted.join(", ")}`;
}

/** serde's text for an unknown tag value. */
export function unknownVariantText(value: string, variants: readonly string[]): string {
  return `unknown variant \`${clip(value)}\`, ${expectedOneOf(variants)}`;
}

function lastKey(path: readonly PropertyKey[]): string {
  return String(path[path.length - 1]);
}

function isTagIssue(issues: readonly Issue[], tagPath: readonly PropertyKey[]): boolean {
  return issues.some(
    (issue) =>
      (issue.code === "invalid_value" || issue.code === "invalid_type") &&
      issue.path.length === tagPath.length &&
      issue.path.every((key, i) => key === tagPath[i]),
  );
}

function literalValues(issues: readonly (readonly Issue[])[], tagPath: readonly PropertyKey[]) {
  const values: string[] = [];
  for (const branch of issues) {
    for (const issue of branch) {
      if (issue.code !== "invalid_value" || issue.path.length !== tagPath.length) continue;
      for (const value of issue.values) {
        if (typeof value === "string" && !values.includes(value)) values.push(value);
      }
    }
  }
  return values;
}

function describe(
  issue: Issue,
  root: unknown,
  rootName: string | undefined,
  variants: VariantLists,
): string {
  switch (issue.code) {
    case "invalid_type": {
      const value = valueAt(root, issue.path);
      // `params: null` is no params at all to serde (an absent Option)
      if (value === undefined || (value === null && issue.path.length === 0)) {
        return issue.path.length === 0
          ? "missing field `params`"
          : `missing field \`${lastKey(issue.path)}\``;
      }
      const struct = issue.path.length === 0 ? rootName : undefined;
      return `invalid type: ${unexpectedValue(value)}, expected ${expectedText(issue.expected, struct)}`;
    }
    case "invalid_value": {
      const value = valueAt(root, issue.path);
      if (value === undefined) return `missing field \`${lastKey(issue.path)}\``;
      if (typeof value !== "string") {
        return `invalid type: ${unexpectedValue(value)}, expected variant identifier`;
      }
      const names = issue.values.filter((v): v is string => typeof v === "string");
      return unknownVariantText(value, names);
    }
    case "invalid_union": {
      const tag =
        "discriminator" in issue && typeof issue.discriminator === "string"
          ? issue.discriminator
          : "type";
      const tagPath = [...issue.path, tag];
      const tagValue = valueAt(root, tagPath);
      const parent = valueAt(root, issue.path);
      if (parent === undefined || (parent === null && issue.path.length === 0)) {
        return issue.path.length === 0
          ? "missing field `params`"
          : `missing field \`${lastKey(issue.path)}\``;
      }
      if (parent === null || typeof parent !== "object" || Array.isArray(parent)) {
        const struct = issue.path.length === 0 ? rootName : undefined;
        return `invalid type: ${unexpectedValue(parent)}, expected ${expectedText("object", struct)}`;
      }
      const branches = issue.errors;
      const tagged = branches.length > 0 && branches.every((branch) => branch.length > 0);
      if (branches.length === 0 || (tagged && branches.every((b) => isTagIssue(b, tagPath)))) {
        if (tagValue === undefined) return `missing field \`${tag}\``;
        if (typeof tagValue !== "string") {
          return `invalid type: ${unexpectedValue(tagValue)}, expected variant identifier`;
        }
        const list =
          (rootName !== undefined ? variants[rootName] : undefined) ??
          literalValues(branches, tagPath);
        return unknownVariantText(tagValue, list);
      }
      const chosen = branches.find((branch) => branch.length > 0 && !isTagIssue(branch, tagPath));
      const first = chosen?.[0];
      return first === undefined ? issue.message : describe(first, root, rootName, variants);
    }
    default:
      return issue.message;
  }
}

/**
 * The serde-style text of a failed parse of `input` (`rootName`: the struct name serde would print
 * when the root has the wrong type, e.g. `GetAccountParams`; `null` for a param-less method, whose
 * params serde expects as `unit`).
 */
export function serdeText(
  error: z.ZodError,
  input: unknown,
  rootName?: string | null,
  variants: VariantLists = {},
): string {
  const first = error.issues[0];
  if (first === undefined) return "invalid value";
  if (rootName === null) {
    return `invalid type: ${unexpectedValue(input)}, expected unit`;
  }
  return describe(first, input, rootName, variants);
}

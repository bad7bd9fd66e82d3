import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";

const SCHEMA_PATH = new URL("./fixtures/RolloutLine.json", import.meta.url);

/**
 * The vendored schema is generated from upstream's serde types for *reading*: a few fields that
 * upstream never writes (`#[serde(skip_serializing)]`, e.g. `reasoning.id`) are marked
 * `writeOnly` yet still listed in `required`. A written line never carries them, so validation
 * of written lines drops `writeOnly` properties from `required` lists. Second, schemars describes
 * `FunctionCallOutputPayload` as the struct `{body, success}`, but upstream serialises it by hand
 * as its `body` alone (a string or an array of content items, `success` never written), so that
 * one definition is replaced by `FunctionCallOutputBody`. The fixture file itself is untouched;
 * these two adjustments are made in memory and are the only ones.
 */
function forWrittenLines(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forWrittenLines);
  if (typeof node !== "object" || node === null) return node;
  const obj = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = forWrittenLines(v);
  const props = obj.properties as Record<string, { writeOnly?: boolean }> | undefined;
  if (Array.isArray(obj.required) && props !== undefined) {
    out.required = (obj.required as string[]).filter((r) => props[r]?.writeOnly !== true);
  }
  return out;
}

let validator: ValidateFunction | undefined;
let additions: ValidateFunction | undefined;

const ADDITIONS_PATH = new URL(
  "./fixtures/upstream-0.169/RolloutLine-0.169-additions.json",
  import.meta.url,
);

/**
 * The vendored schema refreshed for 0.169: a line is valid when the vendored (older, upstream)
 * schema accepts it, or when it is one of the shapes 0.169 added (`world_state`,
 * `token_usage_record`, the `thread_settings_applied` event), described in
 * `fixtures/upstream-0.169/RolloutLine-0.169-additions.json` from real 0.169 lines.
 */
export function validateRolloutLine0169(line: unknown): { ok: boolean; errors: string } {
  const base = validateRolloutLine(line);
  if (base.ok) return base;
  if (additions === undefined) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    additions = ajv.compile(JSON.parse(readFileSync(ADDITIONS_PATH, "utf8")));
  }
  const ok = additions(line) === true;
  return {
    ok,
    errors: ok ? "" : `${base.errors} / ${JSON.stringify(additions.errors?.slice(0, 5))}`,
  };
}

/** Validates one parsed rollout line against the vendored draft-07 `RolloutLine.json`. */
export function validateRolloutLine(line: unknown): { ok: boolean; errors: string } {
  if (validator === undefined) {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown>;
    if (schema.$schema !== "http://json-schema.org/draft-07/schema#") {
      throw new Error("RolloutLine.json is not draft-07; pick the matching Ajv class");
    }
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const view = forWrittenLines(schema) as { definitions: Record<string, unknown> };
    view.definitions.FunctionCallOutputPayload = { $ref: "#/definitions/FunctionCallOutputBody" };
    validator = ajv.compile(view);
  }
  const ok = validator(line) === true;
  return { ok, errors: ok ? "" : JSON.stringify(validator.errors?.slice(0, 5)) };
}

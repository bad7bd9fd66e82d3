import type { JsonObject, JsonValue } from "@codex/wire";
import { z } from "zod";
import {
  appendUnknownKeys,
  jsonObject,
  jsonValue,
  keysOf,
  omittable,
  parseWith,
} from "../internal/zod-shape.js";
import { parseResponseItem, type ResponseItem, serializeResponseItem } from "./response-item.js";

/** Optional `turn_context` keys, in write order; each is omitted when absent. */
export const TURN_CONTEXT_OPTIONAL_KEYS = [
  "turn_id",
  "trace_id",
  "root_turn_id",
  "current_date",
  "timezone",
  "network",
  "personality",
  "collaboration_mode",
  "realtime_active",
  "effort",
  "user_instructions",
  "developer_instructions",
  "final_output_json_schema",
  "truncation_policy",
  "permission_profile",
  "file_system_sandbox_policy",
  "active_permission_profile",
  "approvals_reviewer",
  "disabled_plugin_ids",
  "multi_agent_version",
] as const;

/** One optional `turn_context` key. */
export type TurnContextOptionalKey = (typeof TURN_CONTEXT_OPTIONAL_KEYS)[number];

/** Plain `approval_policy` values (`AskForApproval`; the object form is `{"granular":{…}}`). */
export const approvalPolicySchema = z.enum(["untrusted", "on-failure", "on-request", "never"]);
/** Plain `approval_policy` values. */
export type ApprovalPolicy = z.output<typeof approvalPolicySchema>;
/** `sandbox_policy.type` values. */
export const sandboxPolicyTypeSchema = z.enum([
  "danger-full-access",
  "read-only",
  "external-sandbox",
  "workspace-write",
]);
/** `sandbox_policy.type` values. */
export type SandboxPolicyType = z.output<typeof sandboxPolicyTypeSchema>;
/** `summary` values (`ReasoningSummary`). */
export const reasoningSummarySchema = z.enum(["auto", "concise", "detailed", "none"]);
/** `summary` values (`ReasoningSummary`). */
export type ReasoningSummary = z.output<typeof reasoningSummarySchema>;

const turnContextObjectSchema = z.looseObject({
  cwd: z.string(),
  /** A plain policy or `{"granular":{...}}`. */
  approval_policy: z.union([approvalPolicySchema, jsonObject]),
  /** Tagged by `type`. */
  sandbox_policy: z
    .looseObject({ type: sandboxPolicyTypeSchema })
    .transform((p) => p as JsonObject & { type: SandboxPolicyType }),
  model: z.string(),
  summary: reasoningSummarySchema,
  ...(Object.fromEntries(
    TURN_CONTEXT_OPTIONAL_KEYS.map((k) => [k, omittable(jsonValue)]),
  ) as Record<TurnContextOptionalKey, ReturnType<typeof omittable<typeof jsonValue>>>),
});
const KNOWN_KEYS = keysOf(turnContextObjectSchema.shape);

/**
 * `turn_context` payload. Required keys are typed; optional ones are kept as JSON in
 * `optional` and omitted when absent. Keys this version does not know are kept at the top level
 * and written back after the known ones.
 */
export const turnContextItemSchema = turnContextObjectSchema.transform((v) => {
  const out: {
    cwd: string;
    approval_policy: ApprovalPolicy | JsonObject;
    sandbox_policy: JsonObject & { type: SandboxPolicyType };
    model: string;
    summary: ReasoningSummary;
    optional?: Partial<Record<TurnContextOptionalKey, JsonValue>>;
    [unknownKey: string]: unknown;
  } = {
    cwd: v.cwd,
    approval_policy: v.approval_policy,
    sandbox_policy: v.sandbox_policy,
    model: v.model,
    summary: v.summary,
  };
  const opt: Partial<Record<TurnContextOptionalKey, JsonValue>> = {};
  let any = false;
  for (const k of TURN_CONTEXT_OPTIONAL_KEYS) {
    const val = v[k];
    if (val !== undefined) {
      opt[k] = val;
      any = true;
    }
  }
  if (any) out.optional = opt;
  appendUnknownKeys(out, v, KNOWN_KEYS);
  return out;
});
/** `turn_context` payload (see {@link turnContextItemSchema}). */
export type TurnContextItem = z.output<typeof turnContextItemSchema>;

const compactedItemSchema = z.looseObject({
  message: z.string(),
  replacement_history: z.preprocess(
    (v) => (Array.isArray(v) ? v : undefined),
    z.array(z.unknown().transform((x) => parseResponseItem(x))).optional(),
  ),
});
const COMPACTED_KEYS = keysOf(compactedItemSchema.shape);

/** `compacted` payload. Read back as an assistant message holding one `output_text`. */
export type CompactedItem = z.output<typeof compactedItemSchema>;

/** Parses a `turn_context` payload. Throws `invalid_line`. */
export function parseTurnContextItem(v: unknown): TurnContextItem {
  return parseWith(turnContextItemSchema, v, "turn_context");
}

const KNOWN_KEYS_WITH_BAG: ReadonlySet<string> = new Set([...KNOWN_KEYS, "optional"]);

/** Builds the wire object of a `turn_context` payload. */
export function serializeTurnContextItem(t: TurnContextItem): JsonObject {
  const o: JsonObject = {};
  const opt = t.optional ?? {};
  const put = (...keys: TurnContextOptionalKey[]): void => {
    for (const k of keys) {
      const val = opt[k];
      if (val !== undefined) o[k] = val;
    }
  };
  // Upstream writes turn_id/trace_id first, then the required keys, then the rest; the keys
  // 0.169 added sit where 0.169 writes them (next to their neighbours there).
  put("turn_id", "trace_id", "root_turn_id", "disabled_plugin_ids", "current_date", "timezone");
  o.cwd = t.cwd;
  o.approval_policy = t.approval_policy;
  put("approvals_reviewer");
  o.sandbox_policy = t.sandbox_policy;
  put("network", "permission_profile", "active_permission_profile", "file_system_sandbox_policy");
  o.model = t.model;
  put("personality", "collaboration_mode", "multi_agent_version", "realtime_active", "effort");
  o.summary = t.summary;
  put("user_instructions", "developer_instructions", "final_output_json_schema");
  put("truncation_policy");
  appendUnknownKeys(o, t, KNOWN_KEYS_WITH_BAG);
  return o;
}

/** Parses a `compacted` payload. Throws `invalid_line`. */
export function parseCompactedItem(v: unknown): CompactedItem {
  return parseWith(compactedItemSchema, v, "compacted");
}

/** Builds the wire object of a `compacted` payload (`Other` history entries are dropped). */
export function serializeCompactedItem(c: CompactedItem): JsonObject {
  const o: JsonObject = { message: c.message };
  if (c.replacement_history !== undefined) {
    const hist: JsonValue[] = [];
    for (const item of c.replacement_history) {
      const s = serializeResponseItem(item);
      if (s !== null) hist.push(s);
    }
    o.replacement_history = hist;
  }
  appendUnknownKeys(o, c, COMPACTED_KEYS);
  return o;
}

/** The model-visible form of a `compacted` line: an assistant message with one `output_text`. */
export function compactedToResponseItem(c: CompactedItem): ResponseItem {
  return {
    type: "message",
    role: "assistant",
    content: [{ type: "output_text", text: c.message }],
  };
}

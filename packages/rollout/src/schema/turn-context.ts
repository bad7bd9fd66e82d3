import { asJson, fail, isObject, oneOf, reqString } from "../internal/json.js";
import type { JsonObject, JsonValue } from "../json-value.js";
import { parseResponseItem, type ResponseItem, serializeResponseItem } from "./response-item.js";

/** Optional `turn_context` keys, in write order; each is omitted when absent. */
export const TURN_CONTEXT_OPTIONAL_KEYS = [
  "turn_id",
  "trace_id",
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
] as const;

/** One optional `turn_context` key. */
export type TurnContextOptionalKey = (typeof TURN_CONTEXT_OPTIONAL_KEYS)[number];

/**
 * `turn_context` payload. Required keys are typed; optional ones are kept as JSON and omitted
 * when absent. Unknown keys are tolerated on read and dropped.
 */
export interface TurnContextItem {
  cwd: string;
  /** A plain policy or `{"granular":{...}}`. */
  approval_policy: ApprovalPolicy | JsonObject;
  /** Tagged by `type`. */
  sandbox_policy: JsonObject & { type: SandboxPolicyType };
  model: string;
  summary: ReasoningSummary;
  /** Optional keys (omitted when absent). */
  optional?: Partial<Record<TurnContextOptionalKey, JsonValue>>;
}

/** `compacted` payload. Read back as an assistant message holding one `output_text`. */
export interface CompactedItem {
  message: string;
  replacement_history?: ResponseItem[];
}

/** Plain `approval_policy` values (`AskForApproval`; the object form is `{"granular":{…}}`). */
export type ApprovalPolicy = "untrusted" | "on-failure" | "on-request" | "never";
/** `sandbox_policy.type` values. */
export type SandboxPolicyType =
  | "danger-full-access"
  | "read-only"
  | "external-sandbox"
  | "workspace-write";
/** `summary` values (`ReasoningSummary`). */
export type ReasoningSummary = "auto" | "concise" | "detailed" | "none";

const APPROVAL_POLICIES: readonly ApprovalPolicy[] = [
  "untrusted",
  "on-failure",
  "on-request",
  "never",
];
const SANDBOX_POLICY_TYPES: readonly SandboxPolicyType[] = [
  "danger-full-access",
  "read-only",
  "external-sandbox",
  "workspace-write",
];
const REASONING_SUMMARIES: readonly ReasoningSummary[] = ["auto", "concise", "detailed", "none"];

/** Parses a `turn_context` payload. */
export function parseTurnContextItem(v: unknown): TurnContextItem {
  const ctx = "turn_context";
  if (!isObject(v)) fail(`${ctx}: payload must be an object`);
  const ap = v.approval_policy;
  if (typeof ap !== "string" && !isObject(ap)) fail(`${ctx}: approval_policy is required`);
  const sp = v.sandbox_policy;
  if (!isObject(sp)) fail(`${ctx}: sandbox_policy needs a type`);
  oneOf(sp.type, SANDBOX_POLICY_TYPES, `${ctx}.sandbox_policy.type`);
  const out: TurnContextItem = {
    cwd: reqString(v, "cwd", ctx),
    approval_policy:
      typeof ap === "string"
        ? oneOf(ap, APPROVAL_POLICIES, `${ctx}.approval_policy`)
        : (asJson(ap) as JsonObject),
    sandbox_policy: asJson(sp) as JsonObject & { type: SandboxPolicyType },
    model: reqString(v, "model", ctx),
    summary: oneOf(v.summary, REASONING_SUMMARIES, `${ctx}.summary`),
  };
  const opt: Partial<Record<TurnContextOptionalKey, JsonValue>> = {};
  let any = false;
  for (const k of TURN_CONTEXT_OPTIONAL_KEYS) {
    const val = v[k];
    if (val !== undefined && val !== null) {
      opt[k] = asJson(val);
      any = true;
    }
  }
  if (any) out.optional = opt;
  return out;
}

/** Builds the wire object of a `turn_context` payload. */
export function serializeTurnContextItem(t: TurnContextItem): JsonObject {
  const o: JsonObject = {};
  const opt = t.optional ?? {};
  // Upstream writes turn_id/trace_id first, then the required keys, then the rest.
  for (const k of ["turn_id", "trace_id", "current_date", "timezone"] as const) {
    const val = opt[k];
    if (val !== undefined) o[k] = val;
  }
  o.cwd = t.cwd;
  o.approval_policy = t.approval_policy;
  o.sandbox_policy = t.sandbox_policy;
  for (const k of ["network", "permission_profile", "file_system_sandbox_policy"] as const) {
    const val = opt[k];
    if (val !== undefined) o[k] = val;
  }
  o.model = t.model;
  for (const k of ["personality", "collaboration_mode", "realtime_active", "effort"] as const) {
    const val = opt[k];
    if (val !== undefined) o[k] = val;
  }
  o.summary = t.summary;
  for (const k of [
    "user_instructions",
    "developer_instructions",
    "final_output_json_schema",
    "truncation_policy",
  ] as const) {
    const val = opt[k];
    if (val !== undefined) o[k] = val;
  }
  return o;
}

/** Parses a `compacted` payload. */
export function parseCompactedItem(v: unknown): CompactedItem {
  const ctx = "compacted";
  if (!isObject(v)) fail(`${ctx}: payload must be an object`);
  const out: CompactedItem = { message: reqString(v, "message", ctx) };
  if (Array.isArray(v.replacement_history)) {
    out.replacement_history = v.replacement_history.map(parseResponseItem);
  }
  return out;
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

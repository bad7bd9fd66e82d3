import { isJsonObject, type JsonObject } from "@codex/wire";
import { z } from "zod";
import {
  appendUnknownKeys,
  jsonObject,
  keysOf,
  nullable,
  omittable,
  parseWith,
  withUnknownKeys,
} from "../internal/zod-shape.js";

const threadSpawnSourceSchema = z.object({
  parent_thread_id: z.string(),
  depth: z.number().int(),
  agent_path: omittable(z.string()),
  agent_nickname: omittable(z.string()),
  agent_role: omittable(z.string()),
});
/** `{"subagent":{"thread_spawn":{...}}}` details. */
export type ThreadSpawnSource = z.output<typeof threadSpawnSourceSchema>;

const subAgentSourceSchema = z.union([
  z.enum(["review", "compact", "memory_consolidation"]),
  z.object({ other: z.string() }),
  z.object({ thread_spawn: threadSpawnSourceSchema }),
  z.string().transform((other) => ({ other })),
]);
/** Where a sub-agent came from. */
export type SubAgentSource = z.output<typeof subAgentSourceSchema>;

const PLAIN_SOURCES = ["cli", "vscode", "exec", "mcp", "unknown"] as const;
type PlainSource = (typeof PLAIN_SOURCES)[number];
const PLAIN_SOURCE_SET: ReadonlySet<string> = new Set(PLAIN_SOURCES);

/**
 * Wire form of `SessionSource`. Missing reads as `"vscode"`; unknown plain strings and unknown
 * object forms read as `"unknown"`; a malformed `subagent` is an error.
 */
export const sessionSourceSchema = z.preprocess(
  (v) => v ?? "vscode",
  z.union([
    z
      .string()
      .transform((s): PlainSource => (PLAIN_SOURCE_SET.has(s) ? (s as PlainSource) : "unknown")),
    z.object({ custom: z.string() }),
    z.object({ internal: z.literal("memory_consolidation") }),
    z.object({ subagent: subAgentSourceSchema }),
    z
      .looseObject({})
      .refine((o) => o.subagent === undefined, "malformed subagent source")
      .transform((): PlainSource => "unknown"),
  ]),
);
/** Wire form of `SessionSource`. Unknown plain strings read as `"unknown"`. */
export type SessionSource = z.output<typeof sessionSourceSchema>;

/** Who started a thread (`thread_source`). */
export type ThreadSource = "user" | "subagent" | "memory_consolidation";

const gitInfoSchema = z.looseObject({
  commit_hash: omittable(z.string()),
  branch: omittable(z.string()),
  repository_url: omittable(z.string()),
});
/** Git facts recorded in the first `session_meta`. Absent keys are omitted on write. */
export type GitInfo = z.output<typeof gitInfoSchema>;

const dynamicToolSpecSchema = z.looseObject({
  name: z.string(),
  description: z.string(),
  inputSchema: z
    .unknown()
    .transform((s): JsonObject | boolean => (isJsonObject(s) ? (s as JsonObject) : s !== false)),
});
/** A dynamic tool offered to the model (kept as JSON besides its name). */
export type DynamicToolSpec = z.output<typeof dynamicToolSpecSchema>;

const sessionMetaObjectSchema = z.looseObject({
  /** 0.169: the thread belongs to the signed-in account. */
  account_scoped: omittable(z.boolean()),
  /** 0.169: the session id (equal to `id` for a root thread). */
  session_id: omittable(z.string()),
  id: z.string(),
  forked_from_id: omittable(z.string()),
  timestamp: z.string(),
  cwd: z.string(),
  /** 0.169: the workspace roots of the run. */
  runtime_workspace_roots: omittable(z.array(z.string())),
  originator: z.string(),
  cli_version: z.string(),
  source: sessionSourceSchema,
  thread_source: z.enum(["user", "subagent", "memory_consolidation"]).optional().catch(undefined),
  agent_nickname: omittable(z.string()),
  agent_role: omittable(z.string()),
  /** Legacy name of `agent_role`: read as the role, never written. */
  agent_type: omittable(z.string()),
  /** Legacy key: read and dropped. */
  instructions: z.unknown().optional(),
  agent_path: omittable(z.string()),
  model_provider: nullable(z.string()),
  base_instructions: nullable(z.looseObject({ text: z.string() })),
  dynamic_tools: z.preprocess(
    (v) => (Array.isArray(v) && v.length > 0 ? v : undefined),
    z.array(dynamicToolSpecSchema).optional(),
  ),
  memory_mode: z.literal("disabled").optional().catch(undefined),
  git: z.preprocess((v) => (isJsonObject(v) ? v : undefined), gitInfoSchema.optional()),
  /** 0.169: `"paginated"` when every line carries an `ordinal`. */
  history_mode: omittable(z.string()),
  /** 0.169: `{ window_id }` of the context window the thread started in. */
  context_window: omittable(jsonObject),
});

/**
 * Payload of a `session_meta` line. Null-vs-omitted rules:
 * `model_provider` and `base_instructions` are always written (`null` when absent);
 * every `?` key is omitted when absent; `dynamic_tools` is omitted when empty;
 * `memory_mode` is only ever `"disabled"`. Keys this version does not know (e.g. 0.169's
 * `session_id`, `history_mode`) are kept and written back after the known ones.
 */
export const sessionMetaLineSchema = sessionMetaObjectSchema.transform(
  ({ agent_type, instructions: _legacy, ...rest }) => {
    if (rest.agent_role === undefined && agent_type !== undefined) rest.agent_role = agent_type;
    return rest;
  },
);
/** Payload of a `session_meta` line (see {@link sessionMetaLineSchema}). */
export type SessionMetaLine = z.output<typeof sessionMetaLineSchema>;

const KNOWN_KEYS = keysOf(sessionMetaObjectSchema.shape);

/** Parses a `SessionSource` wire value. Throws `invalid_line`. */
export function parseSessionSource(v: unknown): SessionSource {
  return parseWith(sessionSourceSchema, v, "session_meta.source");
}

/** Two sources are the same wire value. */
export function sameSessionSource(a: SessionSource, b: SessionSource): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function serializeSource(s: SessionSource): SessionSource {
  if (typeof s === "string" || !("subagent" in s)) return s;
  const sub = s.subagent;
  if (typeof sub === "string" || "other" in sub) return s;
  const t = sub.thread_spawn;
  const out: ThreadSpawnSource = { parent_thread_id: t.parent_thread_id, depth: t.depth };
  if (t.agent_path !== undefined) out.agent_path = t.agent_path;
  if (t.agent_nickname !== undefined) out.agent_nickname = t.agent_nickname;
  if (t.agent_role !== undefined) out.agent_role = t.agent_role;
  return { subagent: { thread_spawn: out } };
}

/**
 * Parses a `session_meta` payload (legacy `instructions` ignored, `agent_type` read as role).
 * Throws `invalid_line`.
 */
export function parseSessionMetaLine(v: unknown): SessionMetaLine {
  return parseWith(sessionMetaLineSchema, v, "session_meta");
}

/** Builds the wire object of a `session_meta` payload in upstream key order. */
export function serializeSessionMetaLine(m: SessionMetaLine): JsonObject {
  const o: Record<string, unknown> = {};
  if (m.account_scoped !== undefined) o.account_scoped = m.account_scoped;
  if (m.session_id !== undefined) o.session_id = m.session_id;
  o.id = m.id;
  if (m.forked_from_id !== undefined) o.forked_from_id = m.forked_from_id;
  o.timestamp = m.timestamp;
  o.cwd = m.cwd;
  if (m.runtime_workspace_roots !== undefined) {
    o.runtime_workspace_roots = [...m.runtime_workspace_roots];
  }
  o.originator = m.originator;
  o.cli_version = m.cli_version;
  o.source = serializeSource(m.source);
  if (m.thread_source !== undefined) o.thread_source = m.thread_source;
  if (m.agent_nickname !== undefined) o.agent_nickname = m.agent_nickname;
  if (m.agent_role !== undefined) o.agent_role = m.agent_role;
  if (m.agent_path !== undefined) o.agent_path = m.agent_path;
  o.model_provider = m.model_provider;
  o.base_instructions =
    m.base_instructions === null
      ? null
      : withUnknownKeys({ text: m.base_instructions.text }, m.base_instructions);
  if (m.dynamic_tools !== undefined && m.dynamic_tools.length > 0) {
    o.dynamic_tools = m.dynamic_tools.map((t) =>
      withUnknownKeys({ name: t.name, description: t.description, inputSchema: t.inputSchema }, t),
    );
  }
  if (m.memory_mode === "disabled") o.memory_mode = "disabled";
  if (m.git !== undefined) {
    const g: Record<string, unknown> = {};
    if (m.git.commit_hash !== undefined) g.commit_hash = m.git.commit_hash;
    if (m.git.branch !== undefined) g.branch = m.git.branch;
    if (m.git.repository_url !== undefined) g.repository_url = m.git.repository_url;
    o.git = withUnknownKeys(g, m.git);
  }
  if (m.history_mode !== undefined) o.history_mode = m.history_mode;
  if (m.context_window !== undefined) o.context_window = m.context_window;
  appendUnknownKeys(o, m, KNOWN_KEYS);
  return o as JsonObject;
}

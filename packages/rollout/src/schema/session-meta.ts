import {
  fail,
  isObject,
  nullableString,
  optString,
  reqInteger,
  reqString,
} from "../internal/json.js";
import type { JsonObject } from "../json-value.js";

/** `{"subagent":{"thread_spawn":{...}}}` details. */
export interface ThreadSpawnSource {
  parent_thread_id: string;
  depth: number;
  agent_path?: string;
  agent_nickname?: string;
  agent_role?: string;
}

/** Where a sub-agent came from. */
export type SubAgentSource =
  | "review"
  | "compact"
  | "memory_consolidation"
  | { other: string }
  | { thread_spawn: ThreadSpawnSource };

/** Wire form of `SessionSource`. Unknown plain strings read as `"unknown"`. */
export type SessionSource =
  | "cli"
  | "vscode"
  | "exec"
  | "mcp"
  | "unknown"
  | { custom: string }
  | { internal: "memory_consolidation" }
  | { subagent: SubAgentSource };

/** Who started a thread (`thread_source`). */
export type ThreadSource = "user" | "subagent" | "memory_consolidation";

/** Git facts recorded in the first `session_meta`. Absent keys are omitted on write. */
export interface GitInfo {
  commit_hash?: string;
  branch?: string;
  repository_url?: string;
}

/** A dynamic tool offered to the model (kept as JSON besides its name). */
export interface DynamicToolSpec {
  name: string;
  description: string;
  inputSchema: JsonObject | boolean;
}

/**
 * Payload of a `session_meta` line. Null-vs-omitted rules:
 * `model_provider` and `base_instructions` are always written (`null` when absent);
 * every `?` key is omitted when absent; `dynamic_tools` is omitted when empty;
 * `memory_mode` is only ever `"disabled"`.
 */
export interface SessionMetaLine {
  id: string;
  forked_from_id?: string;
  timestamp: string;
  cwd: string;
  originator: string;
  cli_version: string;
  source: SessionSource;
  thread_source?: ThreadSource;
  agent_nickname?: string;
  agent_role?: string;
  agent_path?: string;
  model_provider: string | null;
  base_instructions: { text: string } | null;
  dynamic_tools?: DynamicToolSpec[];
  memory_mode?: "disabled";
  git?: GitInfo;
}

const PLAIN_SOURCES = new Set(["cli", "vscode", "exec", "mcp", "unknown"]);

/** Parses a `SessionSource` wire value. */
export function parseSessionSource(v: unknown): SessionSource {
  if (v === undefined || v === null) return "vscode";
  if (typeof v === "string") {
    return PLAIN_SOURCES.has(v) ? (v as SessionSource) : "unknown";
  }
  if (!isObject(v)) fail("session_meta: source must be a string or object");
  if (typeof v.custom === "string") return { custom: v.custom };
  if (v.internal !== undefined) {
    if (v.internal === "memory_consolidation") return { internal: "memory_consolidation" };
    return "unknown";
  }
  if (v.subagent !== undefined) return { subagent: parseSubAgentSource(v.subagent) };
  return "unknown";
}

function parseSubAgentSource(v: unknown): SubAgentSource {
  if (v === "review" || v === "compact" || v === "memory_consolidation") return v;
  if (isObject(v)) {
    if (typeof v.other === "string") return { other: v.other };
    if (isObject(v.thread_spawn)) {
      const t = v.thread_spawn;
      const ctx = "session_meta.source.subagent.thread_spawn";
      const out: ThreadSpawnSource = {
        parent_thread_id: reqString(t, "parent_thread_id", ctx),
        depth: reqInteger(t, "depth", ctx),
      };
      const path = optString(t, "agent_path", ctx);
      if (path !== undefined) out.agent_path = path;
      const nick = optString(t, "agent_nickname", ctx);
      if (nick !== undefined) out.agent_nickname = nick;
      const role = optString(t, "agent_role", ctx);
      if (role !== undefined) out.agent_role = role;
      return { thread_spawn: out };
    }
  }
  if (typeof v === "string") return { other: v };
  fail("session_meta: unrecognised subagent source");
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

/** Parses a `session_meta` payload (legacy `instructions` ignored, `agent_type` read as role). */
export function parseSessionMetaLine(v: unknown): SessionMetaLine {
  const ctx = "session_meta";
  if (!isObject(v)) fail(`${ctx}: payload must be an object`);
  const bi = v.base_instructions;
  let base: { text: string } | null = null;
  if (isObject(bi)) base = { text: reqString(bi, "text", `${ctx}.base_instructions`) };
  else if (bi !== undefined && bi !== null) fail(`${ctx}: base_instructions must be an object`);
  const out: SessionMetaLine = {
    id: reqString(v, "id", ctx),
    timestamp: reqString(v, "timestamp", ctx),
    cwd: reqString(v, "cwd", ctx),
    originator: reqString(v, "originator", ctx),
    cli_version: reqString(v, "cli_version", ctx),
    source: parseSessionSource(v.source),
    model_provider: nullableString(v, "model_provider", ctx),
    base_instructions: base,
  };
  const forked = optString(v, "forked_from_id", ctx);
  if (forked !== undefined) out.forked_from_id = forked;
  const ts = v.thread_source;
  if (ts === "user" || ts === "subagent" || ts === "memory_consolidation") out.thread_source = ts;
  const nick = optString(v, "agent_nickname", ctx);
  if (nick !== undefined) out.agent_nickname = nick;
  const role = optString(v, "agent_role", ctx) ?? optString(v, "agent_type", ctx);
  if (role !== undefined) out.agent_role = role;
  const path = optString(v, "agent_path", ctx);
  if (path !== undefined) out.agent_path = path;
  if (Array.isArray(v.dynamic_tools) && v.dynamic_tools.length > 0) {
    out.dynamic_tools = v.dynamic_tools.map((t, i) => {
      const c = `${ctx}.dynamic_tools[${i}]`;
      if (!isObject(t)) fail(`${c} must be an object`);
      const schema = t.inputSchema;
      return {
        name: reqString(t, "name", c),
        description: reqString(t, "description", c),
        inputSchema: isObject(schema) ? (schema as JsonObject) : schema !== false,
      };
    });
  }
  if (v.memory_mode === "disabled") out.memory_mode = "disabled";
  if (isObject(v.git)) {
    const g: GitInfo = {};
    const c = `${ctx}.git`;
    const hash = optString(v.git, "commit_hash", c);
    if (hash !== undefined) g.commit_hash = hash;
    const branch = optString(v.git, "branch", c);
    if (branch !== undefined) g.branch = branch;
    const url = optString(v.git, "repository_url", c);
    if (url !== undefined) g.repository_url = url;
    out.git = g;
  }
  return out;
}

/** Builds the wire object of a `session_meta` payload in upstream key order. */
export function serializeSessionMetaLine(m: SessionMetaLine): JsonObject {
  const o: Record<string, unknown> = { id: m.id };
  if (m.forked_from_id !== undefined) o.forked_from_id = m.forked_from_id;
  o.timestamp = m.timestamp;
  o.cwd = m.cwd;
  o.originator = m.originator;
  o.cli_version = m.cli_version;
  o.source = serializeSource(m.source);
  if (m.thread_source !== undefined) o.thread_source = m.thread_source;
  if (m.agent_nickname !== undefined) o.agent_nickname = m.agent_nickname;
  if (m.agent_role !== undefined) o.agent_role = m.agent_role;
  if (m.agent_path !== undefined) o.agent_path = m.agent_path;
  o.model_provider = m.model_provider;
  o.base_instructions = m.base_instructions === null ? null : { text: m.base_instructions.text };
  if (m.dynamic_tools !== undefined && m.dynamic_tools.length > 0) {
    o.dynamic_tools = m.dynamic_tools.map((t) => ({
      name: t.name,
      description: t.description,
      inputSchema: t.inputSchema,
    }));
  }
  if (m.memory_mode === "disabled") o.memory_mode = "disabled";
  if (m.git !== undefined) {
    const g: Record<string, unknown> = {};
    if (m.git.commit_hash !== undefined) g.commit_hash = m.git.commit_hash;
    if (m.git.branch !== undefined) g.branch = m.git.branch;
    if (m.git.repository_url !== undefined) g.repository_url = m.git.repository_url;
    o.git = g;
  }
  return o as JsonObject;
}

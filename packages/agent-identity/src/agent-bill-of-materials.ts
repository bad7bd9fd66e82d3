// Read from package.json at load time (a JSON module: `dist/` sits beside package.json in the
// published tarball, as `src/` does here), so `changeset version` needs no code change.
import packageJson from "../package.json" with { type: "json" };
import { AgentIdentityError } from "./agent-identity-error.js";
import { MAX_FIELD_LENGTH, requireObject, requireString } from "./internal/validate.js";

/**
 * Version of this package, read from its package.json; the default `agentVersion` (Rust uses the
 * crate version).
 *
 * @example
 * ```ts
 * buildAbom("cli").agentVersion === AGENT_IDENTITY_PACKAGE_VERSION; // true
 * ```
 */
export const AGENT_IDENTITY_PACKAGE_VERSION: string = packageJson.version;

/** Sub-agent kinds of a {@link SessionSource}, in their serde wire form. */
export type SubAgentSource =
  | "review"
  | "compact"
  | "memory_consolidation"
  | {
      thread_spawn: {
        parent_thread_id: string;
        depth: number;
        agent_path?: string | null;
        agent_nickname?: string | null;
        agent_role?: string | null;
      };
    }
  | { other: string };

/**
 * Where a Codex session was started (Rust `codex_protocol::protocol::SessionSource`), in its serde
 * wire form: `"cli"`, `"vscode"`, `"exec"`, `"mcp"`, `"unknown"`, `{ custom }` or `{ subagent }`.
 */
export type SessionSource =
  | "cli"
  | "vscode"
  | "exec"
  | "mcp"
  | "unknown"
  | { custom: string }
  | { subagent: SubAgentSource };

/** Agent bill of materials sent when registering an agent (Rust `AgentBillOfMaterials`). */
export interface AgentBillOfMaterials {
  readonly agentVersion: string;
  /** `codex-app` for VS Code sessions, `codex-cli` otherwise. */
  readonly agentHarnessId: string;
  /** `<session source>-<os>`, e.g. `cli-linux`. */
  readonly runningLocation: string;
}

/** The JSON wire form of {@link AgentBillOfMaterials} (serde field names). */
export interface AgentBillOfMaterialsJson {
  agent_version: string;
  agent_harness_id: string;
  running_location: string;
}

/** Options for {@link buildAbom}. */
export interface BuildAbomOptions {
  /** Defaults to {@link AGENT_IDENTITY_PACKAGE_VERSION}. */
  agentVersion?: string | undefined;
  /** Rust `std::env::consts::OS` name; defaults to the one for `process.platform`. */
  os?: string | undefined;
}

const RUST_OS_NAMES: Readonly<Record<string, string>> = {
  darwin: "macos",
  win32: "windows",
  sunos: "solaris",
};

/**
 * The Rust `std::env::consts::OS` name of a Node `process.platform` value (`darwin` → `macos`,
 * `win32` → `windows`, `sunos` → `solaris`, others unchanged).
 *
 * @throws {AgentIdentityError} `invalid_argument` for a non-string.
 * @example
 * ```ts
 * import { rustOsName } from "@codex/agent-identity";
 * rustOsName("darwin"); // "macos"
 * ```
 */
export function rustOsName(platform: string = process.platform): string {
  const name = requireString(platform, "platform", 256);
  return RUST_OS_NAMES[name] ?? name;
}

function invalidSource(): AgentIdentityError {
  return new AgentIdentityError(
    "invalid_argument",
    'sessionSource must be a SessionSource ("cli", "vscode", "exec", "mcp", "unknown", { custom } or { subagent })',
  );
}

function onlyKey(value: unknown): [string, unknown] | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  return entries.length === 1 ? entries[0] : undefined;
}

function subAgentDisplay(source: unknown): string {
  if (source === "review" || source === "compact" || source === "memory_consolidation") {
    return source;
  }
  const entry = onlyKey(source);
  if (entry === undefined) throw invalidSource();
  const [kind, payload] = entry;
  if (kind === "other" && typeof payload === "string") {
    return requireString(payload, "sessionSource.subagent.other", MAX_FIELD_LENGTH);
  }
  if (kind === "thread_spawn" && typeof payload === "object" && payload !== null) {
    const spawn = payload as Record<string, unknown>;
    const parent = spawn.parent_thread_id;
    const depth = spawn.depth;
    if (typeof parent === "string" && typeof depth === "number" && Number.isInteger(depth)) {
      return `thread_spawn_${requireString(parent, "sessionSource.subagent.thread_spawn.parent_thread_id", MAX_FIELD_LENGTH)}_d${depth}`;
    }
  }
  throw invalidSource();
}

/**
 * `Display` of a {@link SessionSource}, as Rust prints it: `cli`, `vscode`, `exec`, `mcp`,
 * `unknown`, the custom name, or `subagent_<kind>` (`thread_spawn_<parent>_d<depth>` for spawns).
 *
 * @throws {AgentIdentityError} `invalid_argument` for anything that is not a SessionSource.
 * @example
 * ```ts
 * import { sessionSourceDisplay } from "@codex/agent-identity";
 * sessionSourceDisplay({ subagent: "review" }); // "subagent_review"
 * ```
 */
export function sessionSourceDisplay(sessionSource: SessionSource): string {
  const source: unknown = sessionSource;
  if (
    source === "cli" ||
    source === "vscode" ||
    source === "exec" ||
    source === "mcp" ||
    source === "unknown"
  ) {
    return source;
  }
  const entry = onlyKey(source);
  if (entry === undefined) throw invalidSource();
  const [kind, payload] = entry;
  if (kind === "custom" && typeof payload === "string") {
    return requireString(payload, "sessionSource.custom", MAX_FIELD_LENGTH);
  }
  if (kind === "subagent") return `subagent_${subAgentDisplay(payload)}`;
  throw invalidSource();
}

/**
 * Builds the agent bill of materials for registration, as the Rust `build_abom`:
 * harness `codex-app` for VS Code sessions and `codex-cli` for every other source, running
 * location `<source>-<os>`.
 *
 * @throws {AgentIdentityError} `invalid_argument` for an unknown session source or bad options.
 * @example
 * ```ts
 * import { buildAbom } from "@codex/agent-identity";
 * buildAbom("cli", { agentVersion: "0.120.0" });
 * // { agentVersion: "0.120.0", agentHarnessId: "codex-cli", runningLocation: "cli-linux" }
 * ```
 */
export function buildAbom(
  sessionSource: SessionSource,
  options: BuildAbomOptions = {},
): AgentBillOfMaterials {
  const opts = requireObject(options, "options");
  const agentVersion =
    opts.agentVersion === undefined
      ? AGENT_IDENTITY_PACKAGE_VERSION
      : requireString(opts.agentVersion, "options.agentVersion", MAX_FIELD_LENGTH);
  const os = opts.os === undefined ? rustOsName() : requireString(opts.os, "options.os", 256);
  const display = sessionSourceDisplay(sessionSource);
  return {
    agentVersion,
    agentHarnessId: sessionSource === "vscode" ? "codex-app" : "codex-cli",
    runningLocation: `${display}-${os}`,
  };
}

/**
 * The JSON wire form (`agent_version`, `agent_harness_id`, `running_location`) of an ABOM.
 *
 * @example
 * ```ts
 * import { agentBillOfMaterialsToJson, buildAbom } from "@codex/agent-identity";
 * const body = { abom: agentBillOfMaterialsToJson(buildAbom("cli")) };
 * ```
 */
export function agentBillOfMaterialsToJson(abom: AgentBillOfMaterials): AgentBillOfMaterialsJson {
  const record = requireObject(abom, "abom");
  return {
    agent_version: requireString(record.agentVersion, "abom.agentVersion", MAX_FIELD_LENGTH),
    agent_harness_id: requireString(record.agentHarnessId, "abom.agentHarnessId", MAX_FIELD_LENGTH),
    running_location: requireString(
      record.runningLocation,
      "abom.runningLocation",
      MAX_FIELD_LENGTH * 2,
    ),
  };
}

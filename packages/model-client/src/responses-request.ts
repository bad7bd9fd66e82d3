import type { JsonObject, JsonValue } from "@codex/wire";
import {
  X_CODEX_INSTALLATION_ID_HEADER,
  X_CODEX_TURN_METADATA_HEADER,
  X_CODEX_WINDOW_ID_HEADER,
} from "./internal/request-headers.js";
import { ModelClientError } from "./model-client-error.js";

/** What the model is asked: the conversation so far, the instructions and the tools. */
export interface Prompt {
  /** Responses input items (messages, function call outputs, ...), sent as they are. */
  readonly input: readonly JsonObject[];
  /** Base instructions; omitted from the body when empty. */
  readonly instructions?: string;
  /** Responses tool definitions. Default none. */
  readonly tools?: readonly JsonObject[];
  /** Default false. */
  readonly parallelToolCalls?: boolean;
}

/** Reasoning settings; `summary: "none"` leaves the summary out. */
export interface ReasoningOptions {
  readonly effort?: string;
  readonly summary?: string;
}

/** The per-turn settings of a request. */
export interface TurnOptions {
  /** Model slug. */
  readonly model: string;
  /** Reasoning settings, or undefined/null for `reasoning: null` (and an empty `include`). */
  readonly reasoning?: ReasoningOptions | null;
  /** `service_tier`, when set. */
  readonly serviceTier?: string;
  /** `text.verbosity`, when the model supports it. */
  readonly verbosity?: "low" | "medium" | "high";
  /** A JSON schema the final answer must follow (`text.format`). */
  readonly outputSchema?: { readonly schema: JsonObject; readonly strict?: boolean };
  /** The turn layer's `x-codex-turn-metadata` JSON string. */
  readonly turnMetadata?: string;
}

/** Ids the body needs from the session. */
export interface RequestIdentity {
  readonly threadId: string;
  readonly installationId: string;
  /** `<thread>:<generation>`. */
  readonly windowId: string;
}

/** Keys of the turn metadata 0.169 also copies into the body's `client_metadata`. */
const TURN_METADATA_CLIENT_KEYS = ["root_turn_id", "session_id", "thread_id", "turn_id"] as const;

function sortedObject(entries: Record<string, string>): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(entries).sort()) out[key] = entries[key] as string;
  return out;
}

/**
 * The body's `client_metadata`: installation id, window id, the turn metadata string and the ids
 * 0.169 copies out of it (`root_turn_id`, `session_id`, `thread_id`, `turn_id`), keys sorted.
 */
export function buildClientMetadata(
  identity: RequestIdentity,
  turnMetadata: string | undefined,
): JsonObject {
  const entries: Record<string, string> = {
    [X_CODEX_INSTALLATION_ID_HEADER]: identity.installationId,
    [X_CODEX_WINDOW_ID_HEADER]: identity.windowId,
  };
  if (turnMetadata !== undefined) {
    entries[X_CODEX_TURN_METADATA_HEADER] = turnMetadata;
    let parsed: unknown;
    try {
      parsed = JSON.parse(turnMetadata);
    } catch {
      parsed = undefined;
    }
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      for (const key of TURN_METADATA_CLIENT_KEYS) {
        const value = (parsed as Record<string, unknown>)[key];
        if (typeof value === "string") entries[key] = value;
      }
    }
  }
  return sortedObject(entries);
}

function checkTurn(prompt: Prompt, turn: TurnOptions): void {
  if (turn === null || typeof turn !== "object") {
    throw new ModelClientError("invalid_argument", "turn options must be an object");
  }
  if (typeof turn.model !== "string" || turn.model.trim() === "") {
    throw new ModelClientError("invalid_argument", "model must be a non-empty string");
  }
  if (prompt === null || typeof prompt !== "object" || !Array.isArray(prompt.input)) {
    throw new ModelClientError("invalid_argument", "prompt.input must be an array of items");
  }
  for (const item of prompt.input) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw new ModelClientError("invalid_argument", "every prompt.input item must be an object");
    }
  }
  if (prompt.tools !== undefined && !Array.isArray(prompt.tools)) {
    throw new ModelClientError("invalid_argument", "prompt.tools must be an array");
  }
}

function reasoningJson(reasoning: ReasoningOptions | null | undefined): JsonValue {
  if (reasoning === undefined || reasoning === null) return null;
  const out: JsonObject = {};
  if (reasoning.effort !== undefined) out.effort = reasoning.effort;
  if (reasoning.summary !== undefined && reasoning.summary !== "none") {
    out.summary = reasoning.summary;
  }
  return out;
}

function textJson(turn: TurnOptions): JsonObject | undefined {
  const text: JsonObject = {};
  if (turn.verbosity !== undefined) text.verbosity = turn.verbosity;
  if (turn.outputSchema !== undefined) {
    text.format = {
      type: "json_schema",
      strict: turn.outputSchema.strict ?? true,
      schema: turn.outputSchema.schema,
      name: "codex_output_schema",
    };
  }
  return Object.keys(text).length === 0 ? undefined : text;
}

/**
 * The `/responses` body, keys in the order the 0.169 client sends them: `model`,
 * [`instructions`], `stream`, `input`, `tools`, `tool_choice`, `parallel_tool_calls`,
 * `reasoning`, `store`, `include`, [`service_tier`], `prompt_cache_key`, [`text`],
 * `client_metadata`.
 *
 * @throws {ModelClientError} `invalid_argument` for an empty model or malformed input.
 */
export function buildResponsesBody(
  prompt: Prompt,
  turn: TurnOptions,
  identity: RequestIdentity,
  options: { readonly store?: boolean } = {},
): JsonObject {
  checkTurn(prompt, turn);
  const reasoning = reasoningJson(turn.reasoning);
  const body: JsonObject = { model: turn.model };
  if (prompt.instructions !== undefined && prompt.instructions !== "") {
    body.instructions = prompt.instructions;
  }
  body.stream = true;
  body.input = [...prompt.input];
  body.tools = [...(prompt.tools ?? [])];
  body.tool_choice = "auto";
  body.parallel_tool_calls = prompt.parallelToolCalls ?? false;
  body.reasoning = reasoning;
  body.store = options.store ?? false;
  body.include = reasoning === null ? [] : ["reasoning.encrypted_content"];
  if (turn.serviceTier !== undefined) body.service_tier = turn.serviceTier;
  body.prompt_cache_key = identity.threadId;
  const text = textJson(turn);
  if (text !== undefined) body.text = text;
  body.client_metadata = buildClientMetadata(identity, turn.turnMetadata);
  return body;
}

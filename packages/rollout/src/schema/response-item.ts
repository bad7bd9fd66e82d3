import { isJsonObject, type JsonObject, type JsonValue } from "@codex/wire";
import { z } from "zod";
import {
  appendUnknownKeys,
  jsonObject,
  jsonValue,
  keysOf,
  nullable,
  omittable,
  parseWith,
  withUnknownKeys,
} from "../internal/zod-shape.js";

/** Message content: `input_text`, `input_image`, `output_text`. */
export const contentItemSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("input_text"), text: z.string() }),
  z.looseObject({ type: z.literal("input_image"), image_url: z.string() }),
  z.looseObject({ type: z.literal("output_text"), text: z.string() }),
]);
/** Message content: `input_text`, `input_image`, `output_text`. */
export type ContentItem = z.output<typeof contentItemSchema>;

/** `detail` of an image in a tool output. */
export const imageDetailSchema = z.enum(["auto", "low", "high", "original"]);
/** `detail` of an image in a tool output. */
export type ImageDetail = z.output<typeof imageDetailSchema>;

const functionCallOutputContentItemSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("input_text"), text: z.string() }),
  z.looseObject({
    type: z.literal("input_image"),
    image_url: z.string(),
    detail: omittable(imageDetailSchema),
  }),
]);
/** Items of a structured tool output. */
export type FunctionCallOutputContentItem = z.output<typeof functionCallOutputContentItemSchema>;

/** A tool output: plain string or structured items. Older files wrap it as `{content, success}`. */
const functionCallOutputSchema = z.preprocess(
  (v) => (isJsonObject(v) && v.content !== undefined ? v.content : v),
  z.union([z.string(), z.array(functionCallOutputContentItemSchema)]),
);
/** A tool output: plain string or structured items (written as an array). */
export type FunctionCallOutput = string | FunctionCallOutputContentItem[];

/** `reasoning.content` entries. */
const reasoningContentSchema = z.looseObject({
  type: z.enum(["reasoning_text", "text"]),
  text: z.string(),
});
/** `reasoning.content` entries. */
export type ReasoningContent = z.output<typeof reasoningContentSchema>;

const localShellExecActionSchema = z.looseObject({
  type: z.literal("exec"),
  command: z.array(z.string()),
  timeout_ms: omittable(z.number().int()),
  working_directory: omittable(z.string()),
  env: omittable(z.record(z.string(), z.string())),
  user: omittable(z.string()),
});
/** `local_shell_call.action`. Absent optional keys are omitted. */
export type LocalShellExecAction = z.output<typeof localShellExecActionSchema>;

const webSearchActionSchema = z.union([
  z.discriminatedUnion("type", [
    z.looseObject({
      type: z.literal("search"),
      query: omittable(z.string()),
      queries: omittable(z.array(z.string())),
    }),
    z.looseObject({ type: z.literal("open_page"), url: omittable(z.string()) }),
    z.looseObject({
      type: z.literal("find_in_page"),
      url: omittable(z.string()),
      pattern: omittable(z.string()),
    }),
  ]),
  // An action this version does not know reads as `other` (upstream's `#[serde(other)]`).
  z.unknown().transform(() => ({ type: "other" as const })),
]);
/** `web_search_call.action`. */
export type WebSearchAction = z.output<typeof webSearchActionSchema>;

const id = omittable(z.string());

const messageSchema = z.looseObject({
  type: z.literal("message"),
  id,
  role: z.string(),
  content: z.array(contentItemSchema),
  end_turn: omittable(z.boolean()),
  phase: omittable(z.enum(["commentary", "final_answer"])),
});
const reasoningSchema = z.looseObject({
  type: z.literal("reasoning"),
  id,
  summary: z.array(z.looseObject({ type: z.literal("summary_text"), text: z.string() })),
  /** `null` = absent (written as `null`); an array without `reasoning_text` is omitted. */
  content: nullable(z.array(reasoningContentSchema)),
  encrypted_content: nullable(z.string()),
});
const localShellCallSchema = z.looseObject({
  type: z.literal("local_shell_call"),
  id,
  call_id: nullable(z.string()),
  status: z.enum(["completed", "in_progress", "incomplete"]),
  action: localShellExecActionSchema,
});
const functionCallSchema = z.looseObject({
  type: z.literal("function_call"),
  id,
  name: z.string(),
  namespace: omittable(z.string()),
  /** JSON text, exactly as the model sent it. */
  arguments: z.string(),
  call_id: z.string(),
});
const functionCallOutputItemSchema = z.looseObject({
  type: z.literal("function_call_output"),
  call_id: z.string(),
  output: functionCallOutputSchema,
});
const customToolCallSchema = z.looseObject({
  type: z.literal("custom_tool_call"),
  id,
  status: omittable(z.string()),
  call_id: z.string(),
  name: z.string(),
  input: z.string(),
});
const customToolCallOutputSchema = z.looseObject({
  type: z.literal("custom_tool_call_output"),
  call_id: z.string(),
  name: omittable(z.string()),
  output: functionCallOutputSchema,
});
const toolSearchCallSchema = z.looseObject({
  type: z.literal("tool_search_call"),
  id,
  call_id: nullable(z.string()),
  status: omittable(z.string()),
  execution: z.string(),
  arguments: jsonValue,
});
const toolSearchOutputSchema = z.looseObject({
  type: z.literal("tool_search_output"),
  call_id: nullable(z.string()),
  status: z.string(),
  execution: z.string(),
  tools: z.array(jsonValue),
});
const webSearchCallSchema = z.looseObject({
  type: z.literal("web_search_call"),
  id,
  status: omittable(z.string()),
  action: omittable(webSearchActionSchema),
});
const imageGenerationCallSchema = z.looseObject({
  type: z.literal("image_generation_call"),
  id: z.string(),
  status: z.string(),
  revised_prompt: omittable(z.string()),
  result: z.string(),
});
const ghostSnapshotSchema = z.looseObject({
  type: z.literal("ghost_snapshot"),
  ghost_commit: jsonObject,
});
const compactionSchema = z.looseObject({
  type: z.literal("compaction"),
  encrypted_content: z.string(),
});

/** Every `response_item` variant this version models, tagged by `type`. */
export const knownResponseItemSchema = z.discriminatedUnion("type", [
  messageSchema,
  reasoningSchema,
  localShellCallSchema,
  functionCallSchema,
  functionCallOutputItemSchema,
  customToolCallSchema,
  customToolCallOutputSchema,
  toolSearchCallSchema,
  toolSearchOutputSchema,
  webSearchCallSchema,
  imageGenerationCallSchema,
  ghostSnapshotSchema,
  compactionSchema,
]);

/**
 * A model-visible history item. `id` is read on every variant; it is written on `message` (as
 * 0.169 does, right after the tag) and `image_generation_call`, never on the others. `type: "other"` is an unknown variant: it reads fine but is never
 * persisted (`original_type` keeps the tag it was read with). Keys this version does not know
 * are kept and written back after the known ones.
 */
export type ResponseItem =
  | z.output<typeof knownResponseItemSchema>
  | { type: "other"; original_type: string };

const KNOWN_KEYS: Record<string, ReadonlySet<string>> = {
  message: keysOf(messageSchema.shape),
  reasoning: keysOf(reasoningSchema.shape),
  local_shell_call: keysOf(localShellCallSchema.shape),
  function_call: keysOf(functionCallSchema.shape),
  function_call_output: keysOf(functionCallOutputItemSchema.shape),
  custom_tool_call: keysOf(customToolCallSchema.shape),
  custom_tool_call_output: keysOf(customToolCallOutputSchema.shape),
  tool_search_call: keysOf(toolSearchCallSchema.shape),
  tool_search_output: keysOf(toolSearchOutputSchema.shape),
  web_search_call: keysOf(webSearchCallSchema.shape),
  image_generation_call: keysOf(imageGenerationCallSchema.shape),
  ghost_snapshot: keysOf(ghostSnapshotSchema.shape),
  compaction: keysOf(compactionSchema.shape),
};

/** Options for {@link serializeResponseItem}. */
export interface SerializeResponseItemOptions {
  /** Keep `reasoning.content` even when it holds no `reasoning_text` (the trace does this). */
  keepReasoningContent?: boolean;
}

/**
 * Parses a `response_item` payload. Unknown `type` tags read as `{type:"other"}`;
 * `compaction_summary` reads as `compaction`. Throws `invalid_line`.
 */
export function parseResponseItem(v: unknown): ResponseItem {
  if (!isJsonObject(v) || typeof v.type !== "string") {
    return parseWith(knownResponseItemSchema, v, "response_item");
  }
  let value: Record<string, unknown> = v;
  if (v.type === "compaction_summary") value = { ...v, type: "compaction" };
  else if (KNOWN_KEYS[v.type] === undefined) return { type: "other", original_type: v.type };
  return parseWith(knownResponseItemSchema, value, "response_item", v.type);
}

function serializeOutput(o: FunctionCallOutput): JsonValue {
  if (typeof o === "string") return o;
  return o.map((x) => {
    if (x.type === "input_text") return withUnknownKeys({ type: "input_text", text: x.text }, x);
    const img: JsonObject = { type: "input_image", image_url: x.image_url };
    if (x.detail !== undefined) img.detail = x.detail;
    return withUnknownKeys(img, x);
  });
}

function serializeWebSearchAction(a: WebSearchAction): JsonObject {
  switch (a.type) {
    case "search": {
      const o: JsonObject = { type: "search" };
      if (a.query !== undefined) o.query = a.query;
      if (a.queries !== undefined) o.queries = [...a.queries];
      return o;
    }
    case "open_page": {
      const o: JsonObject = { type: "open_page" };
      if (a.url !== undefined) o.url = a.url;
      return o;
    }
    case "find_in_page": {
      const o: JsonObject = { type: "find_in_page" };
      if (a.url !== undefined) o.url = a.url;
      if (a.pattern !== undefined) o.pattern = a.pattern;
      return o;
    }
    default:
      return { type: "other" };
  }
}

function knownPayload(item: Exclude<ResponseItem, { type: "other" }>, o: JsonObject): JsonObject {
  const known = KNOWN_KEYS[item.type];
  if (known !== undefined) appendUnknownKeys(o, item, known);
  return o;
}

/** `{type, id, ...}`: 0.169 writes a message's `id` right after the tag when it has one. */
function withId(item: { id?: string | undefined }, o: JsonObject): JsonObject {
  if (item.id === undefined || "id" in o) return o;
  const [type, ...rest] = Object.entries(o);
  return Object.fromEntries(
    type === undefined ? [["id", item.id]] : [type, ["id", item.id], ...rest],
  );
}

/**
 * Builds the wire object of a `response_item` payload (upstream key order, `id` only on `message` and `image_generation_call`, unknown keys after the known ones). Returns `null` for
 * `{type:"other"}`, which is never persisted.
 */
export function serializeResponseItem(
  item: ResponseItem,
  options: SerializeResponseItemOptions = {},
): JsonObject | null {
  switch (item.type) {
    case "message": {
      const o: JsonObject = {
        type: "message",
        role: item.role,
        content: item.content.map((c) =>
          withUnknownKeys(
            c.type === "input_image"
              ? { type: c.type, image_url: c.image_url }
              : { type: c.type, text: c.text },
            c,
          ),
        ),
      };
      if (item.end_turn !== undefined) o.end_turn = item.end_turn;
      if (item.phase !== undefined) o.phase = item.phase;
      return knownPayload(item, withId(item, o));
    }
    case "reasoning": {
      const o: JsonObject = {
        type: "reasoning",
        summary: item.summary.map((s) =>
          withUnknownKeys({ type: "summary_text", text: s.text }, s),
        ),
      };
      if (item.content === null) o.content = null;
      else if (
        options.keepReasoningContent === true ||
        item.content.some((c) => c.type === "reasoning_text")
      ) {
        o.content = item.content.map((c) => withUnknownKeys({ type: c.type, text: c.text }, c));
      }
      o.encrypted_content = item.encrypted_content;
      return knownPayload(item, o);
    }
    case "local_shell_call": {
      const a = item.action;
      const action: JsonObject = { type: "exec", command: [...a.command] };
      if (a.timeout_ms !== undefined) action.timeout_ms = a.timeout_ms;
      if (a.working_directory !== undefined) action.working_directory = a.working_directory;
      if (a.env !== undefined) action.env = { ...a.env };
      if (a.user !== undefined) action.user = a.user;
      return knownPayload(item, {
        type: "local_shell_call",
        call_id: item.call_id,
        status: item.status,
        action,
      });
    }
    case "function_call": {
      const o: JsonObject = { type: "function_call", name: item.name };
      if (item.namespace !== undefined) o.namespace = item.namespace;
      o.arguments = item.arguments;
      o.call_id = item.call_id;
      return knownPayload(item, o);
    }
    case "function_call_output":
      return knownPayload(item, {
        type: "function_call_output",
        call_id: item.call_id,
        output: serializeOutput(item.output),
      });
    case "custom_tool_call": {
      const o: JsonObject = { type: "custom_tool_call" };
      if (item.status !== undefined) o.status = item.status;
      o.call_id = item.call_id;
      o.name = item.name;
      o.input = item.input;
      return knownPayload(item, o);
    }
    case "custom_tool_call_output": {
      const o: JsonObject = { type: "custom_tool_call_output", call_id: item.call_id };
      if (item.name !== undefined) o.name = item.name;
      o.output = serializeOutput(item.output);
      return knownPayload(item, o);
    }
    case "tool_search_call": {
      const o: JsonObject = { type: "tool_search_call", call_id: item.call_id };
      if (item.status !== undefined) o.status = item.status;
      o.execution = item.execution;
      o.arguments = item.arguments;
      return knownPayload(item, o);
    }
    case "tool_search_output":
      return knownPayload(item, {
        type: "tool_search_output",
        call_id: item.call_id,
        status: item.status,
        execution: item.execution,
        tools: item.tools,
      });
    case "web_search_call": {
      const o: JsonObject = { type: "web_search_call" };
      if (item.status !== undefined) o.status = item.status;
      if (item.action !== undefined) o.action = serializeWebSearchAction(item.action);
      return knownPayload(item, o);
    }
    case "image_generation_call": {
      const o: JsonObject = { type: "image_generation_call", id: item.id, status: item.status };
      if (item.revised_prompt !== undefined) o.revised_prompt = item.revised_prompt;
      o.result = item.result;
      return knownPayload(item, o);
    }
    case "ghost_snapshot":
      return knownPayload(item, { type: "ghost_snapshot", ghost_commit: item.ghost_commit });
    case "compaction":
      return knownPayload(item, { type: "compaction", encrypted_content: item.encrypted_content });
    case "other":
      return null;
  }
}

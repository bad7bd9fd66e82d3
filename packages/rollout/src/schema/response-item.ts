import {
  asJson,
  asJsonObject,
  fail,
  isObject,
  nullableString,
  oneOf,
  optBoolean,
  optInteger,
  optString,
  reqArray,
  reqObject,
  reqString,
  stringArray,
} from "../internal/json.js";
import type { JsonObject, JsonValue } from "../json-value.js";

/** Message content: `input_text`, `input_image`, `output_text`. */
export type ContentItem =
  | { type: "input_text"; text: string }
  | { type: "input_image"; image_url: string }
  | { type: "output_text"; text: string };

/** `detail` of an image in a tool output. */
export type ImageDetail = "auto" | "low" | "high" | "original";

const IMAGE_DETAILS: readonly ImageDetail[] = ["auto", "low", "high", "original"];

/** Items of a structured tool output. */
export type FunctionCallOutputContentItem =
  | { type: "input_text"; text: string }
  | { type: "input_image"; image_url: string; detail?: ImageDetail };

/** A tool output: plain string or structured items (written as an array). */
export type FunctionCallOutput = string | FunctionCallOutputContentItem[];

/** `reasoning.content` entries. */
export type ReasoningContent =
  | { type: "reasoning_text"; text: string }
  | { type: "text"; text: string };

/** `local_shell_call.action`. Absent optional keys are omitted. */
export interface LocalShellExecAction {
  type: "exec";
  command: string[];
  timeout_ms?: number;
  working_directory?: string;
  env?: Record<string, string>;
  user?: string;
}

/** `web_search_call.action`. */
export type WebSearchAction =
  | { type: "search"; query?: string; queries?: string[] }
  | { type: "open_page"; url?: string }
  | { type: "find_in_page"; url?: string; pattern?: string }
  | { type: "other" };

/**
 * A model-visible history item. `id` is read but never written, except on
 * `image_generation_call`. `type: "other"` is an unknown variant: it reads fine but is never
 * persisted (`original_type` keeps the tag it was read with).
 */
export type ResponseItem =
  | {
      type: "message";
      id?: string;
      role: string;
      content: ContentItem[];
      end_turn?: boolean;
      phase?: "commentary" | "final_answer";
    }
  | {
      type: "reasoning";
      id?: string;
      summary: { type: "summary_text"; text: string }[];
      /** `null` = absent (written as `null`); an array without `reasoning_text` is omitted. */
      content: ReasoningContent[] | null;
      encrypted_content: string | null;
    }
  | {
      type: "local_shell_call";
      id?: string;
      call_id: string | null;
      status: "completed" | "in_progress" | "incomplete";
      action: LocalShellExecAction;
    }
  | {
      type: "function_call";
      id?: string;
      name: string;
      namespace?: string;
      /** JSON text, exactly as the model sent it. */
      arguments: string;
      call_id: string;
    }
  | { type: "function_call_output"; call_id: string; output: FunctionCallOutput }
  | {
      type: "custom_tool_call";
      id?: string;
      status?: string;
      call_id: string;
      name: string;
      input: string;
    }
  | { type: "custom_tool_call_output"; call_id: string; name?: string; output: FunctionCallOutput }
  | {
      type: "tool_search_call";
      id?: string;
      call_id: string | null;
      status?: string;
      execution: string;
      arguments: JsonValue;
    }
  | {
      type: "tool_search_output";
      call_id: string | null;
      status: string;
      execution: string;
      tools: JsonValue[];
    }
  | { type: "web_search_call"; id?: string; status?: string; action?: WebSearchAction }
  | {
      type: "image_generation_call";
      id: string;
      status: string;
      revised_prompt?: string;
      result: string;
    }
  | { type: "ghost_snapshot"; ghost_commit: JsonObject }
  | { type: "compaction"; encrypted_content: string }
  | { type: "other"; original_type: string };

/** Options for {@link serializeResponseItem}. */
export interface SerializeResponseItemOptions {
  /** Keep `reasoning.content` even when it holds no `reasoning_text` (the trace does this). */
  keepReasoningContent?: boolean;
}

function parseContentItem(v: unknown, ctx: string): ContentItem {
  if (!isObject(v)) fail(`${ctx} must be an object`);
  switch (v.type) {
    case "input_text":
    case "output_text":
      return { type: v.type, text: reqString(v, "text", ctx) };
    case "input_image":
      return { type: "input_image", image_url: reqString(v, "image_url", ctx) };
    default:
      fail(`${ctx}: unknown content type`);
  }
}

function parseOutput(v: unknown, ctx: string): FunctionCallOutput {
  if (typeof v === "string") return v;
  // Older files wrap the body as {content, success}.
  if (isObject(v) && v.content !== undefined) return parseOutput(v.content, ctx);
  if (!Array.isArray(v)) fail(`${ctx}: output must be a string or an array`);
  return v.map((x, i) => {
    const c = `${ctx}.output[${i}]`;
    if (!isObject(x)) fail(`${c} must be an object`);
    if (x.type === "input_text") return { type: "input_text", text: reqString(x, "text", c) };
    if (x.type === "input_image") {
      const item: FunctionCallOutputContentItem = {
        type: "input_image",
        image_url: reqString(x, "image_url", c),
      };
      if (x.detail !== undefined && x.detail !== null) {
        item.detail = oneOf(x.detail, IMAGE_DETAILS, `${c}.detail`);
      }
      return item;
    }
    return fail(`${c}: unknown output item type`);
  });
}

function withId<T extends object>(item: T, v: Record<string, unknown>, ctx: string): T {
  const id = optString(v, "id", ctx);
  if (id !== undefined) (item as { id?: string }).id = id;
  return item;
}

/** Parses a `response_item` payload. Unknown `type` tags read as `{type:"other"}`. */
export function parseResponseItem(v: unknown): ResponseItem {
  if (!isObject(v)) fail("response_item: payload must be an object");
  const t = v.type;
  if (typeof t !== "string") fail("response_item: missing type");
  const ctx = `response_item.${t}`;
  switch (t) {
    case "message": {
      const item: Extract<ResponseItem, { type: "message" }> = {
        type: "message",
        role: reqString(v, "role", ctx),
        content: reqArray(v, "content", ctx).map((c, i) =>
          parseContentItem(c, `${ctx}.content[${i}]`),
        ),
      };
      withId(item, v, ctx);
      const endTurn = optBoolean(v, "end_turn", ctx);
      if (endTurn !== undefined) item.end_turn = endTurn;
      const phase = v.phase;
      if (phase === "commentary" || phase === "final_answer") item.phase = phase;
      else if (phase !== undefined && phase !== null) fail(`${ctx}: unknown phase`);
      return item;
    }
    case "reasoning": {
      const content = v.content;
      let parsedContent: ReasoningContent[] | null = null;
      if (Array.isArray(content)) {
        parsedContent = content.map((c, i) => {
          const cc = `${ctx}.content[${i}]`;
          if (!isObject(c) || (c.type !== "reasoning_text" && c.type !== "text")) {
            fail(`${cc}: unknown reasoning content`);
          }
          return { type: c.type, text: reqString(c, "text", cc) };
        });
      } else if (content !== undefined && content !== null)
        fail(`${ctx}: content must be an array`);
      const item: Extract<ResponseItem, { type: "reasoning" }> = {
        type: "reasoning",
        summary: reqArray(v, "summary", ctx).map((s, i) => {
          const c = `${ctx}.summary[${i}]`;
          if (!isObject(s) || s.type !== "summary_text") fail(`${c}: expected summary_text`);
          return { type: "summary_text", text: reqString(s, "text", c) };
        }),
        content: parsedContent,
        encrypted_content: nullableString(v, "encrypted_content", ctx),
      };
      return withId(item, v, ctx);
    }
    case "local_shell_call": {
      const status = v.status;
      if (status !== "completed" && status !== "in_progress" && status !== "incomplete") {
        fail(`${ctx}: unknown status`);
      }
      const a = reqObject(v, "action", ctx);
      if (a.type !== "exec") fail(`${ctx}: unknown action type`);
      const ac = `${ctx}.action`;
      const action: LocalShellExecAction = {
        type: "exec",
        command: stringArray(a.command, `${ac}.command`),
      };
      const timeout = optInteger(a, "timeout_ms", ac);
      if (timeout !== undefined) action.timeout_ms = timeout;
      const wd = optString(a, "working_directory", ac);
      if (wd !== undefined) action.working_directory = wd;
      if (isObject(a.env)) {
        const env: Record<string, string> = {};
        for (const [k, val] of Object.entries(a.env)) {
          if (typeof val !== "string") fail(`${ac}.env values must be strings`);
          env[k] = val;
        }
        action.env = env;
      }
      const user = optString(a, "user", ac);
      if (user !== undefined) action.user = user;
      const item: Extract<ResponseItem, { type: "local_shell_call" }> = {
        type: "local_shell_call",
        call_id: nullableString(v, "call_id", ctx),
        status,
        action,
      };
      return withId(item, v, ctx);
    }
    case "function_call": {
      const item: Extract<ResponseItem, { type: "function_call" }> = {
        type: "function_call",
        name: reqString(v, "name", ctx),
        arguments: reqString(v, "arguments", ctx),
        call_id: reqString(v, "call_id", ctx),
      };
      const ns = optString(v, "namespace", ctx);
      if (ns !== undefined) item.namespace = ns;
      return withId(item, v, ctx);
    }
    case "function_call_output":
      return {
        type: "function_call_output",
        call_id: reqString(v, "call_id", ctx),
        output: parseOutput(v.output, ctx),
      };
    case "custom_tool_call": {
      const item: Extract<ResponseItem, { type: "custom_tool_call" }> = {
        type: "custom_tool_call",
        call_id: reqString(v, "call_id", ctx),
        name: reqString(v, "name", ctx),
        input: reqString(v, "input", ctx),
      };
      const status = optString(v, "status", ctx);
      if (status !== undefined) item.status = status;
      return withId(item, v, ctx);
    }
    case "custom_tool_call_output": {
      const item: Extract<ResponseItem, { type: "custom_tool_call_output" }> = {
        type: "custom_tool_call_output",
        call_id: reqString(v, "call_id", ctx),
        output: parseOutput(v.output, ctx),
      };
      const name = optString(v, "name", ctx);
      if (name !== undefined) item.name = name;
      return item;
    }
    case "tool_search_call": {
      if (!("arguments" in v)) fail(`${ctx}: "arguments" is required`);
      const item: Extract<ResponseItem, { type: "tool_search_call" }> = {
        type: "tool_search_call",
        call_id: nullableString(v, "call_id", ctx),
        execution: reqString(v, "execution", ctx),
        arguments: asJson(v.arguments),
      };
      const status = optString(v, "status", ctx);
      if (status !== undefined) item.status = status;
      return withId(item, v, ctx);
    }
    case "tool_search_output":
      return {
        type: "tool_search_output",
        call_id: nullableString(v, "call_id", ctx),
        status: reqString(v, "status", ctx),
        execution: reqString(v, "execution", ctx),
        tools: reqArray(v, "tools", ctx).map(asJson),
      };
    case "web_search_call": {
      const item: Extract<ResponseItem, { type: "web_search_call" }> = { type: "web_search_call" };
      const status = optString(v, "status", ctx);
      if (status !== undefined) item.status = status;
      if (isObject(v.action)) item.action = parseWebSearchAction(v.action, `${ctx}.action`);
      return withId(item, v, ctx);
    }
    case "image_generation_call": {
      const item: Extract<ResponseItem, { type: "image_generation_call" }> = {
        type: "image_generation_call",
        id: reqString(v, "id", ctx),
        status: reqString(v, "status", ctx),
        result: reqString(v, "result", ctx),
      };
      const rp = optString(v, "revised_prompt", ctx);
      if (rp !== undefined) item.revised_prompt = rp;
      return item;
    }
    case "ghost_snapshot":
      return {
        type: "ghost_snapshot",
        ghost_commit: asJsonObject(reqObject(v, "ghost_commit", ctx)),
      };
    case "compaction":
    case "compaction_summary":
      return { type: "compaction", encrypted_content: reqString(v, "encrypted_content", ctx) };
    default:
      return { type: "other", original_type: t };
  }
}

function parseWebSearchAction(a: Record<string, unknown>, ctx: string): WebSearchAction {
  switch (a.type) {
    case "search": {
      const out: WebSearchAction = { type: "search" };
      const q = optString(a, "query", ctx);
      if (q !== undefined) out.query = q;
      if (Array.isArray(a.queries)) out.queries = stringArray(a.queries, `${ctx}.queries`);
      return out;
    }
    case "open_page": {
      const out: WebSearchAction = { type: "open_page" };
      const url = optString(a, "url", ctx);
      if (url !== undefined) out.url = url;
      return out;
    }
    case "find_in_page": {
      const out: WebSearchAction = { type: "find_in_page" };
      const url = optString(a, "url", ctx);
      if (url !== undefined) out.url = url;
      const p = optString(a, "pattern", ctx);
      if (p !== undefined) out.pattern = p;
      return out;
    }
    default:
      return { type: "other" };
  }
}

function serializeOutput(o: FunctionCallOutput): JsonValue {
  if (typeof o === "string") return o;
  return o.map((x) => {
    if (x.type === "input_text") return { type: "input_text", text: x.text };
    const img: JsonObject = { type: "input_image", image_url: x.image_url };
    if (x.detail !== undefined) img.detail = x.detail;
    return img;
  });
}

/**
 * Builds the wire object of a `response_item` payload (upstream key order, ids dropped except
 * on `image_generation_call`). Returns `null` for `{type:"other"}`, which is never persisted.
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
          c.type === "input_image"
            ? { type: c.type, image_url: c.image_url }
            : { type: c.type, text: c.text },
        ),
      };
      if (item.end_turn !== undefined) o.end_turn = item.end_turn;
      if (item.phase !== undefined) o.phase = item.phase;
      return o;
    }
    case "reasoning": {
      const o: JsonObject = {
        type: "reasoning",
        summary: item.summary.map((s) => ({ type: "summary_text", text: s.text })),
      };
      if (item.content === null) o.content = null;
      else if (
        options.keepReasoningContent === true ||
        item.content.some((c) => c.type === "reasoning_text")
      ) {
        o.content = item.content.map((c) => ({ type: c.type, text: c.text }));
      }
      o.encrypted_content = item.encrypted_content;
      return o;
    }
    case "local_shell_call": {
      const a = item.action;
      const action: JsonObject = { type: "exec", command: [...a.command] };
      if (a.timeout_ms !== undefined) action.timeout_ms = a.timeout_ms;
      if (a.working_directory !== undefined) action.working_directory = a.working_directory;
      if (a.env !== undefined) action.env = { ...a.env };
      if (a.user !== undefined) action.user = a.user;
      return { type: "local_shell_call", call_id: item.call_id, status: item.status, action };
    }
    case "function_call": {
      const o: JsonObject = { type: "function_call", name: item.name };
      if (item.namespace !== undefined) o.namespace = item.namespace;
      o.arguments = item.arguments;
      o.call_id = item.call_id;
      return o;
    }
    case "function_call_output":
      return {
        type: "function_call_output",
        call_id: item.call_id,
        output: serializeOutput(item.output),
      };
    case "custom_tool_call": {
      const o: JsonObject = { type: "custom_tool_call" };
      if (item.status !== undefined) o.status = item.status;
      o.call_id = item.call_id;
      o.name = item.name;
      o.input = item.input;
      return o;
    }
    case "custom_tool_call_output": {
      const o: JsonObject = { type: "custom_tool_call_output", call_id: item.call_id };
      if (item.name !== undefined) o.name = item.name;
      o.output = serializeOutput(item.output);
      return o;
    }
    case "tool_search_call": {
      const o: JsonObject = { type: "tool_search_call", call_id: item.call_id };
      if (item.status !== undefined) o.status = item.status;
      o.execution = item.execution;
      o.arguments = item.arguments;
      return o;
    }
    case "tool_search_output":
      return {
        type: "tool_search_output",
        call_id: item.call_id,
        status: item.status,
        execution: item.execution,
        tools: item.tools,
      };
    case "web_search_call": {
      const o: JsonObject = { type: "web_search_call" };
      if (item.status !== undefined) o.status = item.status;
      if (item.action !== undefined) o.action = { ...item.action } as JsonObject;
      return o;
    }
    case "image_generation_call": {
      const o: JsonObject = { type: "image_generation_call", id: item.id, status: item.status };
      if (item.revised_prompt !== undefined) o.revised_prompt = item.revised_prompt;
      o.result = item.result;
      return o;
    }
    case "ghost_snapshot":
      return { type: "ghost_snapshot", ghost_commit: item.ghost_commit };
    case "compaction":
      return { type: "compaction", encrypted_content: item.encrypted_content };
    case "other":
      return null;
  }
}

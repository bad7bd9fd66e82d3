import type { HttpClient } from "@codex/http";
import { isJsonObject, type JsonObject } from "@codex/wire";
import { authHeaders } from "../model-auth.js";
import { ModelClientError } from "../model-client-error.js";
import type { MemorySummary, RawMemory } from "../model-client-options.js";
import { providerUrl, streamIdleTimeoutMs } from "../model-provider-info.js";
import { subagentHeaders } from "../session-source.js";
import type { ClientInternals } from "./client-internals.js";
import { statusError } from "./status-error.js";
import { transportError } from "./transport-errors.js";

/**
 * `POST …/memories/trace_summarize`. An empty list returns `[]` without resolving auth or
 * touching the network. Never attested.
 */
export async function summarizeMemories(
  internals: ClientInternals,
  memories: readonly RawMemory[],
  model: string,
  options: { readonly effort?: string; readonly signal?: AbortSignal },
): Promise<MemorySummary[]> {
  if (!Array.isArray(memories)) {
    throw new ModelClientError("invalid_argument", "memories must be an array");
  }
  if (memories.length === 0) return [];
  if (typeof model !== "string" || model === "") {
    throw new ModelClientError("invalid_argument", "model must be a non-empty string");
  }
  const source = internals.headerSource;
  const setup = await internals.setup();
  const body: JsonObject = {
    model,
    traces: memories.map((m) => ({
      id: m.id,
      metadata: { source_path: m.sourcePath },
      items: [...m.items],
    })),
  };
  if (options.effort !== undefined) body.reasoning = { effort: options.effort };
  let read: Awaited<ReturnType<HttpClient["requestText"]>>;
  try {
    read = await internals.http.requestText({
      method: "POST",
      url: providerUrl(source.provider, setup.baseUrl, "memories/trace_summarize"),
      headers: { ...subagentHeaders(source.sessionSource), ...authHeaders(setup.auth) },
      json: body,
      timeoutMs: streamIdleTimeoutMs(source.provider),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    throw transportError(error);
  }
  if (!read.ok) throw statusError(read.status, read.headers, read.body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.body);
  } catch {
    throw new ModelClientError("stream", "the memory summary answer is not JSON");
  }
  const output = isJsonObject(parsed) && Array.isArray(parsed.output) ? parsed.output : undefined;
  if (output === undefined) {
    throw new ModelClientError("stream", "the memory summary answer has no output list");
  }
  return output.filter(isJsonObject).map((entry) => ({
    traceSummary: String(entry.trace_summary ?? entry.raw_memory ?? ""),
    memorySummary: String(entry.memory_summary ?? ""),
  }));
}

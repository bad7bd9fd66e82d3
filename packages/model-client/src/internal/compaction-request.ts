import type { HttpClient } from "@codex/http";
import { isJsonObject, type JsonObject } from "@codex/wire";
import { authHeaders } from "../model-auth.js";
import { ModelClientError } from "../model-client-error.js";
import type { CompactOptions } from "../model-client-options.js";
import { providerUrl, streamIdleTimeoutMs } from "../model-provider-info.js";
import { buildResponsesBody, type Prompt, type TurnOptions } from "../responses-request.js";
import { commonHeaders } from "./client-headers.js";
import type { ClientInternals } from "./client-internals.js";
import { X_CODEX_INSTALLATION_ID_HEADER } from "./request-headers.js";
import { statusError } from "./status-error.js";
import { transportError } from "./transport-errors.js";

/**
 * `POST …/responses/compact`: the new history. Empty input returns `[]` without any network
 * call. No 401 recovery (as upstream).
 *
 * @throws {ModelClientError} mapped from the HTTP answer or transport failure.
 */
export async function compactConversation(
  internals: ClientInternals,
  prompt: Prompt,
  turn: TurnOptions,
  options: CompactOptions,
): Promise<JsonObject[]> {
  if (
    prompt !== null &&
    typeof prompt === "object" &&
    Array.isArray(prompt.input) &&
    prompt.input.length === 0
  ) {
    return [];
  }
  const source = internals.headerSource;
  const full = buildResponsesBody(prompt, turn, internals.identity());
  const body: JsonObject = { model: full.model as string, input: full.input as JsonObject[] };
  if (full.instructions !== undefined) body.instructions = full.instructions;
  body.tools = full.tools as JsonObject[];
  body.parallel_tool_calls = full.parallel_tool_calls as boolean;
  if (full.reasoning !== null && full.reasoning !== undefined) body.reasoning = full.reasoning;
  if (full.service_tier !== undefined) body.service_tier = full.service_tier;
  body.prompt_cache_key = source.threadId;
  if (full.text !== undefined) body.text = full.text;
  const setup = await internals.setup();
  const headers = {
    ...commonHeaders(source, turn.turnMetadata),
    [X_CODEX_INSTALLATION_ID_HEADER]: source.installationId,
    ...authHeaders(setup.auth),
    ...(await internals.attestationHeader(setup, options.signal)),
  };
  let read: Awaited<ReturnType<HttpClient["requestText"]>>;
  try {
    read = await internals.http.requestText({
      method: "POST",
      url: providerUrl(source.provider, setup.baseUrl, "responses/compact"),
      headers,
      json: body,
      timeoutMs: streamIdleTimeoutMs(source.provider) * 4,
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
    throw new ModelClientError("stream", "the compaction answer is not JSON");
  }
  if (!isJsonObject(parsed) || !Array.isArray(parsed.output)) {
    throw new ModelClientError("stream", "the compaction answer has no output list");
  }
  return parsed.output.filter(isJsonObject) as JsonObject[];
}

import type { IncomingMessage, ServerResponse } from "node:http";
import { isJsonObject, type JsonObject } from "@codex/wire";
import type { RequestRecord } from "../fake-backend-state.js";
import { rateLimitHeaders } from "../rate-limit-headers.js";
import type { ResponseScript } from "../response-script.js";
import type { BackendContext } from "./backend-context.js";
import { HttpProblem, headerValue, parseJsonObject, readBody, sendJson } from "./http-io.js";
import { parseBody, responsesRequestBody } from "./request-bodies.js";
import { decodeRequestBody } from "./request-encoding.js";
import { refusalFor, type Surface } from "./request-verification.js";
import {
  echoText,
  planResponse,
  type ResponsePlan,
  type ResponsesRequest,
} from "./response-plan.js";

/** Validates the fields of a Responses body the fake model uses. */
export function parseResponsesRequest(body: JsonObject): ResponsesRequest {
  const {
    model,
    input,
    previous_response_id: previous,
    generate,
  } = parseBody(responsesRequestBody, body);
  return {
    model,
    input: input ?? [],
    previousResponseId: previous ?? undefined,
    generate: generate !== false,
  };
}

/** The next queued script for a Responses call, else the default. */
export function takeScript(
  context: BackendContext,
): Exclude<ResponseScript, { kind: "websocket_handshake" }> {
  const queued = context.queues.responses.shift();
  if (queued !== undefined) return queued;
  const fallback = context.options.defaultScript;
  return fallback.kind === "websocket_handshake" ? { kind: "echo" } : fallback;
}

/**
 * Builds the plan for one Responses call and remembers completed outputs. A prewarm
 * (`generate: false`) is answered as the real backend does, `response.created` then
 * `response.completed` with no output, and leaves the queued scripts for the turn itself.
 */
export function planFor(context: BackendContext, request: ResponsesRequest): ResponsePlan {
  const script: Exclude<ResponseScript, { kind: "websocket_handshake" }> = request.generate
    ? takeScript(context)
    : { kind: "echo" };
  const responseId = `resp_${++context.counters.response}`;
  const plan = planResponse(script, request, {
    responseId,
    nowSeconds: Math.floor(context.options.now() / 1000),
    nextItemId: () => `msg_${++context.counters.item}`,
  });
  if (plan.kind === "stream" && plan.completed) {
    context.responses.set(responseId, plan.outputItems);
    if (context.responses.size > 10_000) {
      const oldest = context.responses.keys().next().value;
      if (oldest !== undefined) context.responses.delete(oldest);
    }
  }
  return plan;
}

/** Response headers common to every Responses answer: request id, model, turn state, limits. */
export function responseHeaders(
  context: BackendContext,
  req: IncomingMessage,
  record: RequestRecord,
  surface: Surface,
  model: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    "x-request-id": `req_${record.id}`,
    "x-codex-turn-state":
      headerValue(req, "x-codex-turn-state") ?? `ts_${++context.counters.turnState}`,
  };
  if (model !== undefined) headers["openai-model"] = model;
  if (surface === "chatgpt" && context.options.rateLimits !== false) {
    Object.assign(headers, rateLimitHeaders(context.options.rateLimits, context.options.now()));
  }
  return headers;
}

/** Serializes one event as an SSE frame. */
export function sseFrame(event: Record<string, unknown>): string {
  return `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Reads a Responses-family body and applies the auth rules; throws the refusal as a problem. */
async function admit(
  context: BackendContext,
  req: IncomingMessage,
  record: RequestRecord,
  surface: Surface,
): Promise<JsonObject> {
  const limit = context.options.maxBodyBytes;
  const body = parseJsonObject(
    decodeRequestBody(headerValue(req, "content-encoding"), await readBody(req, limit), limit),
  );
  record.body = body;
  const refusal = refusalFor(
    context,
    { authScheme: record.authScheme, ...pick(record) },
    surface,
    record.chatgptAccountId,
    record.attestation,
  );
  if (refusal !== undefined) {
    throw new HttpProblem(refusal.status, refusal.code, refusal.message, refusal.headers);
  }
  return body;
}

function pick(record: RequestRecord) {
  return {
    ...(record.bearer === undefined ? {} : { bearer: record.bearer }),
    ...(record.assertion === undefined ? {} : { assertion: record.assertion }),
  };
}

/**
 * `POST /backend-api/codex/responses` and `POST /v1/responses`: streams the scripted response
 * as SSE, or answers the scripted status.
 */
export async function handleResponsesHttp(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
  surface: Surface,
): Promise<void> {
  const body = await admit(context, req, record, surface);
  const request = parseResponsesRequest(body);
  if (
    request.previousResponseId !== undefined &&
    !context.responses.has(request.previousResponseId)
  ) {
    throw new HttpProblem(400, "previous_response_not_found", "previous_response_id is unknown");
  }
  const plan = planFor(context, request);
  const headers = responseHeaders(context, req, record, surface, request.model);
  if (plan.kind === "status") {
    record.status = plan.status;
    sendJson(res, plan.status, plan.body, { ...headers, ...plan.headers });
    return;
  }
  record.status = 200;
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    ...headers,
    ...plan.headers,
  });
  let pending = "";
  for (const action of plan.actions) {
    if (action.type === "event") {
      pending += sseFrame(action.event);
      continue;
    }
    if (action.type === "disconnect") {
      // Let what was streamed so far reach the client, then drop the TCP connection.
      const socket = res.socket;
      if (pending === "") {
        res.flushHeaders();
        setImmediate(() => socket?.destroy());
      } else {
        res.write(pending, () => socket?.destroy());
      }
      return;
    }
    if (pending !== "") res.write(pending);
    else res.flushHeaders();
    pending = "";
    await stallUntilClosed(context, res);
    return;
  }
  res.end(pending);
}

function stallUntilClosed(context: BackendContext, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const release = () => {
      context.stalls.delete(release);
      res.socket?.destroy();
      resolve();
    };
    context.stalls.add(release);
    res.on("close", release);
  });
}

/**
 * `POST .../responses/compact`: answers `{ output }` with the user messages of the input and a
 * deterministic assistant summary.
 */
export async function handleCompact(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
  surface: Surface,
): Promise<void> {
  const body = await admit(context, req, record, surface);
  const request = parseResponsesRequest(body);
  const kept = request.input.filter(
    (item) => isJsonObject(item) && item.role === "user" && (item.type ?? "message") === "message",
  );
  const summary = `Summary of ${request.input.length} items. Last request: ${echoText(request.input)}`;
  record.status = 200;
  sendJson(
    res,
    200,
    {
      output: [
        ...kept,
        {
          type: "message",
          role: "assistant",
          content: [{ type: "output_text", text: summary }],
        },
      ],
    },
    responseHeaders(context, req, record, surface, request.model),
  );
}

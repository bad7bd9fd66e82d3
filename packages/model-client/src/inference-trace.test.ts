import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHttpClient } from "@codex/http";
import { InferenceTraceContext, replayBundle, TraceWriter } from "@codex/rollout";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RESPONSE_STREAM_DROPPED_REASON, rolloutInferenceTrace } from "./inference-trace.js";
import { apiKeyAuth } from "./model-auth.js";
import { ModelClient } from "./model-client.js";
import { createOpenAiProvider } from "./model-provider-info.js";

const server = setupServer();
beforeAll(() =>
  server.listen({
    onUnhandledRequest: (request) => {
      throw new Error(`unexpected request ${request.method} ${request.url}`);
    },
  }),
);
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "model-client-trace-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const API = "https://api.openai.test/v1";
const encoder = new TextEncoder();
const frame = (event: Record<string, unknown>) =>
  encoder.encode(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
const outputMessage = (id: string, text: string) => ({
  type: "message",
  id,
  role: "assistant",
  content: [{ type: "output_text", text }],
});

/** The seed's started trace (thread-root / turn-1 / gpt-test / test-provider), without a request yet. */
function traceContext(): { context: InferenceTraceContext; writer: TraceWriter } {
  const writer = TraceWriter.create(dir, "trace-1", "rollout-1", "thread-root");
  writer.append({
    type: "thread_started",
    thread_id: "thread-root",
    agent_path: "/root",
    metadata_payload: null,
  });
  writer.append({ type: "codex_turn_started", codex_turn_id: "turn-1", thread_id: "thread-root" });
  const context = InferenceTraceContext.enabled(
    writer,
    "thread-root",
    "turn-1",
    "gpt-test",
    "test-provider",
  );
  return { context, writer };
}

function client(): ModelClient {
  return new ModelClient({
    provider: createOpenAiProvider(API),
    sessionId: "S",
    threadId: "thread-root",
    installationId: "1111",
    auth: apiKeyAuth("sk-test"),
    env: {},
    websockets: false,
    http: createHttpClient(),
  });
}

/** A body that sends `frames`, then stays open until cancelled. */
function openStream(frames: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(Buffer.concat(frames));
    },
  });
}

const prompt = {
  input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hello" }] }],
};

describe("inference trace of a dropped stream", () => {
  // Twin of upstream client_tests.rs `dropped_response_stream_traces_cancelled_partial_output`.
  it("records cancelled with the output item already seen", async () => {
    server.use(
      http.post(
        `${API}/responses`,
        () =>
          new HttpResponse(
            openStream([
              frame({
                type: "response.output_item.done",
                item: outputMessage("msg-1", "partial answer"),
              }),
            ]),
            {
              headers: { "content-type": "text/event-stream" },
            },
          ),
      ),
    );
    const { context } = traceContext();
    for await (const event of client()
      .newSession()
      .stream(prompt, { model: "gpt-test" }, { trace: rolloutInferenceTrace(context) })) {
      if (event.type === "output_item_done") break; // the consumer drops the stream
    }
    const rollout = replayBundle(dir);
    const inference = [...rollout.inferenceCalls.values()][0];
    expect(inference?.execution.status).toBe("cancelled");
    expect(inference?.responseItemIds).toHaveLength(1);
    expect(rollout.rawPayloads.size).toBe(2);
    expect(readFileSync(join(dir, "trace.jsonl"), "utf8")).toContain(
      RESPONSE_STREAM_DROPPED_REASON,
    );
  });

  // Twin of upstream client_tests.rs `dropped_backpressured_response_stream_traces_cancelled_partial_output`:
  // the reader has taken the item off the network but the consumer stops before receiving it.
  it("records cancelled with an item read but never delivered", async () => {
    const frames = Array.from({ length: 1600 }, () =>
      frame({ type: "response.created", response: {} }),
    );
    frames.push(
      frame({ type: "response.output_item.done", item: outputMessage("msg-1", "partial answer") }),
    );
    server.use(
      http.post(
        `${API}/responses`,
        () =>
          new HttpResponse(openStream(frames), {
            headers: { "content-type": "text/event-stream" },
          }),
      ),
    );
    const { context } = traceContext();
    let delivered = 0;
    for await (const event of client()
      .newSession()
      .stream(prompt, { model: "gpt-test" }, { trace: rolloutInferenceTrace(context) })) {
      if (event.type === "created" && ++delivered === 1) break;
    }
    const rollout = replayBundle(dir);
    const inference = [...rollout.inferenceCalls.values()][0];
    expect(inference?.execution.status).toBe("cancelled");
    expect(inference?.responseItemIds).toHaveLength(1);
    expect(rollout.rawPayloads.size).toBe(2);
  });

  it("records completed with usage and items for a finished stream", async () => {
    server.use(
      http.post(
        `${API}/responses`,
        () =>
          new HttpResponse(
            Buffer.concat([
              frame({ type: "response.output_item.done", item: outputMessage("msg-1", "done") }),
              frame({
                type: "response.completed",
                response: { id: "resp-1", usage: { total_tokens: 3 } },
              }),
            ]),
            { headers: { "content-type": "text/event-stream", "x-request-id": "req-1" } },
          ),
      ),
    );
    const { context } = traceContext();
    const events = [];
    for await (const e of client()
      .newSession()
      .stream(prompt, { model: "gpt-test" }, { trace: rolloutInferenceTrace(context) })) {
      events.push(e);
    }
    const inference = [...replayBundle(dir).inferenceCalls.values()][0];
    expect(inference?.execution.status).toBe("completed");
    expect(inference?.responseItemIds).toHaveLength(1);
  });
});

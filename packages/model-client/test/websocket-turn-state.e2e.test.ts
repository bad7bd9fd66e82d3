import { type FakeBackend, scripts, startFakeBackend } from "@codex/fake-backend";
import type { JsonObject } from "@codex/wire";
import { afterEach, describe, expect, it } from "vitest";
import {
  apiKeyAuth,
  createOpenAiProvider,
  ModelClient,
  ModelClientError,
  type ModelClientOptions,
  type ResponseEvent,
} from "../src/index.js";

let backend: FakeBackend | undefined;
const clients: ModelClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await backend?.close();
  backend = undefined;
});

function client(b: FakeBackend, overrides: Partial<ModelClientOptions> = {}): ModelClient {
  const c = new ModelClient({
    provider: createOpenAiProvider(b.openaiBaseUrl),
    sessionId: "S1",
    threadId: "T1",
    installationId: "11111111-1111-4111-8111-111111111111",
    auth: apiKeyAuth("sk-e2e"),
    env: {},
    sleep: async () => {},
    ...overrides,
  });
  clients.push(c);
  return c;
}

const user = (text: string): JsonObject => ({
  type: "message",
  role: "user",
  content: [{ type: "input_text", text }],
});

async function collect(stream: AsyncIterable<ResponseEvent>): Promise<ResponseEvent[]> {
  const events: ResponseEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const upgradesOf = (b: FakeBackend) =>
  b.state.requestsTo("openai.responses").filter((r) => r.transport === "websocket");
const metadata = (state: string) => ({
  type: "event" as const,
  event: { type: "response.metadata", headers: { "X-Codex-Turn-State": state } },
});

describe("x-codex-turn-state from WebSocket response.metadata", () => {
  // A reused socket has no handshake to read the turn state from: the server then names it in
  // a response.metadata event, and it must ride on the turn's later handshakes, never the next
  // turn's.
  it("fills the turn's cell on a reused socket, rides on the reconnect, never leaks", async () => {
    const b = await start();
    const c = client(b);
    const first = c.newSession();
    await collect(first.stream({ input: [user("one")] }, { model: "gpt-test" }));
    expect(first.turnState).toBe("ts_1"); // from the first handshake
    first.close();

    b.enqueue(
      scripts.stream([metadata("ts_meta"), { type: "created" }, { type: "disconnect" }]),
      scripts.stream([
        metadata("ts_later"),
        { type: "created" },
        { type: "message", text: "two" },
        { type: "completed" },
      ]),
    );
    const second = c.newSession();
    const events = await collect(second.stream({ input: [user("two")] }, { model: "gpt-test" }));
    expect(events.filter((e) => e.type === "reconnecting")).toHaveLength(1);
    expect(events.at(-1)?.type).toBe("completed");
    expect(second.turnState).toBe("ts_meta"); // set once: ts_later is ignored
    second.close();

    b.enqueue(scripts.disconnect(), scripts.text("three"));
    const third = c.newSession();
    expect(third.turnState).toBeUndefined();
    await collect(third.stream({ input: [user("three")] }, { model: "gpt-test" }));
    third.close();

    const upgrades = upgradesOf(b);
    expect(upgrades).toHaveLength(3);
    expect(upgrades.map((u) => u.headers["x-codex-turn-state"])).toEqual([
      undefined, // turn 1
      "ts_meta", // turn 2's reconnect carries the state its metadata event named
      undefined, // turn 3's reconnect: nothing from turn 2
    ]);
    expect(third.turnState).toBe("ts_2"); // what the backend assigned to turn 3's handshake
  });
});

describe("response.processed acknowledgements", () => {
  it("sends {type, response_id} on the turn's socket after a completed response", async () => {
    const b = await start();
    const c = client(b);
    const session = c.newSession();
    const events = await collect(session.stream({ input: [user("a")] }, { model: "gpt-test" }));
    const completed = events.find((e) => e.type === "completed");
    if (completed?.type !== "completed") throw new Error("no completed event");
    await session.sendResponseProcessed(completed.responseId);
    // The socket still serves the next request of the turn.
    await collect(session.stream({ input: [user("b")] }, { model: "gpt-test" }));
    session.close();
    const upgrades = upgradesOf(b);
    expect(upgrades).toHaveLength(1);
    const messages = upgrades[0]?.websocketMessages as JsonObject[];
    expect(messages.map((m) => m.type)).toEqual([
      "response.create",
      "response.processed",
      "response.create",
    ]);
    expect(messages[1]).toEqual({ type: "response.processed", response_id: completed.responseId });
  });

  it("does nothing over HTTP, without a socket or on a closed session", async () => {
    const b = await start();
    const http = client(b, { websockets: false });
    const overHttp = http.newSession();
    await collect(overHttp.stream({ input: [user("a")] }, { model: "gpt-test" }));
    const before = b.state.requests.length;
    await overHttp.sendResponseProcessed("resp_1");
    expect(b.state.requests.length).toBe(before);

    const ws = client(b);
    const fresh = ws.newSession();
    await fresh.sendResponseProcessed("resp_1"); // no socket yet: nothing opened
    expect(upgradesOf(b)).toHaveLength(0);
    await collect(fresh.stream({ input: [user("b")] }, { model: "gpt-test" }));
    fresh.close();
    await fresh.sendResponseProcessed("resp_1");
    expect(upgradesOf(b)[0]?.websocketMessages).toHaveLength(1);
    await expect(fresh.sendResponseProcessed("")).rejects.toSatisfy(
      (e) => ModelClientError.is(e) && e.code === "invalid_argument",
    );
  });
});

async function start(): Promise<FakeBackend> {
  backend = await startFakeBackend();
  return backend;
}

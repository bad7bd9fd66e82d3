import { readFileSync } from "node:fs";
import {
  type FakeBackend,
  type FakeBackendOptions,
  scripts,
  startFakeBackend,
} from "@codex/fake-backend";
import { type JsonObject, Secret } from "@codex/wire";
import { afterEach, describe, expect, it } from "vitest";
import {
  apiKeyAuth,
  createOpenAiProvider,
  type ModelAuth,
  ModelClient,
  type ModelClientOptions,
  type Prompt,
  type ResponseEvent,
} from "../src/index.js";

const fixture = JSON.parse(
  readFileSync(
    new URL("./fixtures/upstream-0.169-responses-request.json", import.meta.url),
    "utf8",
  ),
) as {
  apiKeyWebSocket: {
    upgradeHeaderNames: string[];
    messages: { bodyKeys: string[]; generate?: boolean }[];
  };
};
/** Names the `ws` library adds to every handshake on its own. */
const WS_OWN = new Set([
  "host",
  "connection",
  "upgrade",
  "sec-websocket-version",
  "sec-websocket-key",
  "sec-websocket-extensions",
]);

let backend: FakeBackend | undefined;
const clients: ModelClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await backend?.close();
  backend = undefined;
});

async function start(options: FakeBackendOptions = {}): Promise<FakeBackend> {
  backend = await startFakeBackend(options);
  return backend;
}

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

const text = (events: readonly ResponseEvent[]) =>
  events.map((e) => (e.type === "output_text_delta" ? e.delta : "")).join("");
const outputs = (events: readonly ResponseEvent[]) =>
  events.flatMap((e) => (e.type === "output_item_done" ? [e.item] : []));
const turnMetadata = JSON.stringify({ session_id: "S1", thread_id: "T1", turn_id: "u1" });

describe("Responses over WebSocket against the fake backend", () => {
  it("prewarms with generate:false, then sends the turn with previous_response_id (0.169 shapes)", async () => {
    const b = await start();
    const c = client(b, { betaFeatures: ["x"] });
    const session = c.newSession();
    const instructions = "be brief";
    await session.prewarm({ input: [], instructions }, { model: "gpt-test", turnMetadata });
    const events = await collect(
      session.stream(
        { input: [user("hi there")], instructions },
        { model: "gpt-test", turnMetadata },
      ),
    );
    expect(text(events)).toBe("hi there");
    const upgrades = b.state
      .requestsTo("openai.responses")
      .filter((r) => r.transport === "websocket");
    expect(upgrades).toHaveLength(1);
    const names = Object.keys(upgrades[0]?.headers ?? {}).filter((n) => !WS_OWN.has(n));
    const expected = fixture.apiKeyWebSocket.upgradeHeaderNames.filter((n) => !WS_OWN.has(n));
    expect(names.sort()).toEqual([...expected].sort());
    expect(upgrades[0]?.headers["openai-beta"]).toBe("responses_websockets=2026-02-06");
    const [prewarm, turn] = (upgrades[0]?.websocketMessages ?? []) as JsonObject[];
    const withoutInstructions = (o: JsonObject | undefined) =>
      Object.keys(o ?? {}).filter((k) => k !== "instructions");
    expect(withoutInstructions(prewarm)).toEqual(fixture.apiKeyWebSocket.messages[0]?.bodyKeys);
    expect(prewarm?.generate).toBe(false);
    expect(withoutInstructions(turn)).toEqual(fixture.apiKeyWebSocket.messages[1]?.bodyKeys);
    expect(turn?.previous_response_id).toMatch(/^resp_/);
    expect(turn?.input).toEqual([user("hi there")]);
    // As 0.169: the ids copied out of the turn metadata, then the WebSocket's own keys.
    expect(Object.keys(turn?.client_metadata as object).sort()).toEqual([
      "session_id",
      "thread_id",
      "turn_id",
      "x-codex-installation-id",
      "x-codex-turn-metadata",
      "x-codex-window-id",
      "x-codex-ws-stream-request-start-ms",
    ]);
    expect(turn?.client_metadata).toMatchObject({
      session_id: "S1",
      thread_id: "T1",
      turn_id: "u1",
    });
    expect(prewarm?.client_metadata).toMatchObject({ session_id: "S1", turn_id: "u1" });
    session.close();
  });

  it("reuses the socket for the next turn and sends only the new input", async () => {
    const b = await start();
    const c = client(b);
    const first = c.newSession();
    const one = await collect(first.stream({ input: [user("one")] }, { model: "gpt-test" }));
    first.close();
    const history = [user("one"), ...outputs(one), user("two")];
    const second = c.newSession();
    expect(text(await collect(second.stream({ input: history }, { model: "gpt-test" })))).toBe(
      "two",
    );
    second.close();
    const upgrades = b.state
      .requestsTo("openai.responses")
      .filter((r) => r.transport === "websocket");
    expect(upgrades).toHaveLength(1);
    const [, next] = (upgrades[0]?.websocketMessages ?? []) as JsonObject[];
    expect(next?.previous_response_id).toMatch(/^resp_/);
    expect(next?.input).toEqual([user("two")]);
  });

  it("falls back to HTTP for the rest of the session after a 426 handshake", async () => {
    const b = await start();
    b.enqueue(scripts.upgradeRequired());
    const c = client(b);
    expect(
      text(await collect(c.newSession().stream({ input: [user("a")] }, { model: "gpt-test" }))),
    ).toBe("a");
    expect(c.websocketsEnabled).toBe(false);
    expect(
      text(await collect(c.newSession().stream({ input: [user("b")] }, { model: "gpt-test" }))),
    ).toBe("b");
    const records = b.state.requestsTo("openai.responses");
    expect(records.map((r) => [r.transport, r.status])).toEqual([
      ["websocket", 426],
      ["http", 200],
      ["http", 200],
    ]);
  });

  it("opens a new socket and resends the full input after a 429 or 5xx error frame", async () => {
    const b = await start();
    const c = client(b);
    const first = c.newSession();
    const one = await collect(first.stream({ input: [user("one")] }, { model: "gpt-test" }));
    first.close();
    b.enqueue(scripts.rateLimited({ retryAfterSeconds: 0 }), scripts.serverError(503));
    const history = [user("one"), ...outputs(one), user("two")];
    const events = await collect(c.newSession().stream({ input: history }, { model: "gpt-test" }));
    expect(events.filter((e) => e.type === "reconnecting")).toHaveLength(2);
    expect(text(events)).toBe("two");
    const upgrades = b.state
      .requestsTo("openai.responses")
      .filter((r) => r.transport === "websocket");
    expect(upgrades).toHaveLength(3);
    const last = ((upgrades[2]?.websocketMessages ?? []) as JsonObject[])[0];
    expect(last?.previous_response_id).toBeUndefined();
    expect(last?.input).toEqual(history);
  });

  it("error frames, cut sockets and 5xx share the one streamMaxRetries budget of the call", async () => {
    const b = await start();
    b.enqueue(scripts.serverError(503), scripts.disconnect("par"), scripts.serverError(500));
    const c = client(b, {
      provider: { ...createOpenAiProvider(b.openaiBaseUrl), streamMaxRetries: 2 },
    });
    const events = await collect(c.newSession().stream({ input: [user("x")] }, { model: "m" }));
    const retries = events.flatMap((e) =>
      e.type === "reconnecting"
        ? [[e.attempt, e.maxAttempts]]
        : e.type === "transport_fallback"
          ? [[e.error.code, e.error.status]]
          : [],
    );
    // Two resends spend the budget; the third failure switches to HTTP (see the next test).
    expect(retries).toEqual([
      [1, 2],
      [2, 2],
      ["internal_server_error", 500],
    ]);
    expect(b.state.requestsTo("openai.responses").map((r) => r.transport)).toEqual([
      "websocket",
      "websocket",
      "websocket",
      "http",
    ]);
    const after = events.findIndex((e) => e.type === "transport_fallback");
    expect(text(events.slice(after))).toBe("x");
  });

  // Observed on the real codex 0.169 (conformance/test/model-client.conformance.test.ts).
  it("falls back to HTTP for good once the resends over the WebSocket are spent, budget afresh", async () => {
    const b = await start();
    b.enqueue(
      scripts.serverError(500),
      scripts.serverError(500),
      scripts.serverError(500),
      scripts.text("over http"),
    );
    const c = client(b, {
      provider: {
        ...createOpenAiProvider(b.openaiBaseUrl),
        requestMaxRetries: 0,
        streamMaxRetries: 1,
      },
    });
    const events = await collect(c.newSession().stream({ input: [user("x")] }, { model: "m" }));
    expect(
      events.flatMap((e) =>
        e.type === "reconnecting" || e.type === "transport_fallback" ? [e.type] : [],
      ),
    ).toEqual(["reconnecting", "transport_fallback", "reconnecting"]);
    expect(text(events.slice(events.findLastIndex((e) => e.type === "reconnecting")))).toBe(
      "over http",
    );
    expect(c.websocketsEnabled).toBe(false);
    await collect(c.newSession().stream({ input: [user("next")] }, { model: "m" }));
    expect(b.state.requestsTo("openai.responses").map((r) => [r.transport, r.status])).toEqual([
      ["websocket", 101],
      ["websocket", 101],
      ["http", 500],
      ["http", 200],
      ["http", 200],
    ]);
  });

  it("reconnects a cut socket and ends a stalled one at the idle deadline", async () => {
    const b = await start();
    b.enqueue(scripts.disconnect("par"), scripts.text("whole"));
    const events = await collect(
      client(b)
        .newSession()
        .stream({ input: [user("x")] }, { model: "gpt-test" }),
    );
    const reconnect = events.find((e) => e.type === "reconnecting");
    expect(reconnect?.type === "reconnecting" && reconnect.error.message).toBe(
      "websocket closed by server before response.completed",
    );
    expect(text(events.slice(events.indexOf(reconnect as ResponseEvent)))).toBe("whole");

    b.enqueue(scripts.stall("x"));
    const idle = client(b, {
      provider: {
        ...createOpenAiProvider(b.openaiBaseUrl),
        streamIdleTimeoutMs: 100,
        streamMaxRetries: 0,
      },
    });
    // No resend left on the WebSocket: the session falls back to HTTP (which answers).
    const events2 = await collect(
      idle.newSession().stream({ input: [user("y")] }, { model: "gpt-test" }),
    );
    const fallback = events2.find((e) => e.type === "transport_fallback");
    expect(fallback?.type === "transport_fallback" && fallback.error.message).toBe(
      "idle timeout waiting for websocket",
    );
    expect(text(events2.slice(events2.indexOf(fallback as ResponseEvent)))).toBe("y");
  });

  // Seed 004: over WebSocket too, an AgentAssertion replaces the Bearer and never travels with
  // ChatGPT-Account-ID. Twin of client_tests.rs
  // `websocket_handshake_includes_attestation_for_chatgpt_codex_responses`: one attestation per
  // handshake, none for a request on the open socket.
  it("ChatGPT handshake: Bearer with account id, attested once per handshake", async () => {
    const b = await start({ require: { chatgptAccountId: true, attestation: true } });
    const token = b.issueTokens().accessToken;
    const auth: ModelAuth = {
      requestAuth: async () => ({
        mode: "chatgpt",
        authorization: new Secret(`Bearer ${token}`),
        accountId: b.account.chatgptAccountId,
      }),
    };
    let calls = 0;
    const c = client(b, {
      provider: createOpenAiProvider(`${b.chatgptBaseUrl}/codex`),
      chatgptBaseUrl: b.chatgptBaseUrl,
      auth,
      attestationProvider: {
        tokenForRequest: async () => {
          calls++;
          return `v1.header-${calls}`;
        },
      },
    });
    const headers = await c.buildWebsocketHeaders();
    expect(headers["x-oai-attestation"]).toBe('{"v":1,"s":0,"t":"v1.header-1"}');
    expect(calls).toBe(1);
    const session = c.newSession();
    await collect(session.stream({ input: [user("a")] }, { model: "gpt-test" }));
    await collect(session.stream({ input: [user("b")] }, { model: "gpt-test" }));
    session.close();
    expect(calls).toBe(2);
    const upgrade = b.state
      .requestsTo("codex.responses")
      .filter((r) => r.transport === "websocket");
    expect(upgrade).toHaveLength(1);
    expect(upgrade[0]?.attestation).toBe('{"v":1,"s":0,"t":"v1.header-2"}');
    expect(upgrade[0]?.chatgptAccountId).toBe(b.account.chatgptAccountId);
    expect(upgrade[0]?.websocketMessages).toHaveLength(2);
  });

  it("recovers a 401 handshake through the login, then streams", async () => {
    const b = await start();
    let token = "not-a-valid-token";
    let recovered = 0;
    const auth: ModelAuth = {
      requestAuth: async () => ({
        mode: "chatgpt",
        authorization: new Secret(`Bearer ${token}`),
        accountId: b.account.chatgptAccountId,
      }),
      unauthorizedRecovery: () => {
        let done = false;
        return {
          mode: "managed",
          stepName: () => (done ? "done" : "refresh_token"),
          hasNext: () => !done,
          unavailableReason: () => (done ? "recovery_exhausted" : "ready"),
          next: async () => {
            done = true;
            recovered++;
            token = b.issueTokens().accessToken;
            return { authStateChanged: true };
          },
        };
      },
    };
    const c = client(b, { provider: createOpenAiProvider(`${b.chatgptBaseUrl}/codex`), auth });
    expect(
      text(await collect(c.newSession().stream({ input: [user("ok")] }, { model: "gpt-test" }))),
    ).toBe("ok");
    expect(recovered).toBe(1);
    const upgrades = b.state.requestsTo("codex.responses").map((r) => [r.transport, r.status]);
    expect(upgrades).toEqual([
      ["websocket", 401],
      ["websocket", 101],
    ]);
  });

  it("API-key handshakes are never attested", async () => {
    const b = await start();
    let calls = 0;
    const c = client(b, {
      attestationProvider: {
        tokenForRequest: async () => {
          calls++;
          return "v1.x";
        },
      },
    });
    await collect(c.newSession().stream({ input: [user("a")] }, { model: "gpt-test" }));
    expect(calls).toBe(0);
    expect(b.state.lastRequest("openai.responses")?.attestation).toBeUndefined();
  });

  it("a consumer that breaks mid-stream drops the socket; the next turn opens a new one", async () => {
    const b = await start();
    b.enqueue(scripts.stall("partial"));
    const c = client(b);
    const session = c.newSession();
    for await (const event of session.stream({ input: [user("a")] }, { model: "gpt-test" })) {
      if (event.type === "output_text_delta") break;
    }
    session.close();
    const prompt: Prompt = { input: [user("b")] };
    expect(text(await collect(c.newSession().stream(prompt, { model: "gpt-test" })))).toBe("b");
    const upgrades = b.state
      .requestsTo("openai.responses")
      .filter((r) => r.transport === "websocket");
    expect(upgrades).toHaveLength(2);
  });
});

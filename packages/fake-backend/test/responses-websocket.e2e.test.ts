import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  type FakeBackend,
  type FakeBackendOptions,
  scripts,
  startFakeBackend,
} from "../src/index.js";

let backend: FakeBackend | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await backend?.close();
  backend = undefined;
});

function wsUrl(b: FakeBackend, path = "/backend-api/codex/responses"): string {
  return `${b.url.replace("http://", "ws://")}${path}`;
}

/** Opens a socket; resolves with it, or with the refused handshake's status and body. */
function connect(
  url: string,
  headers: Record<string, string>,
): Promise<
  | { ws: WebSocket; upgradeHeaders: Record<string, string | string[] | undefined> }
  | { status: number; body: string }
> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: true });
    sockets.push(ws);
    ws.once("upgrade", (res) => {
      ws.once("open", () => resolve({ ws, upgradeHeaders: res.headers }));
    });
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once("error", reject);
  });
}

/** Collects parsed frames until `stop` holds for one, or the socket closes. */
function collect(ws: WebSocket, stop: (event: Record<string, unknown>) => boolean) {
  return new Promise<{ events: Record<string, unknown>[]; closed: boolean }>((resolve) => {
    const events: Record<string, unknown>[] = [];
    const onMessage = (data: WebSocket.RawData) => {
      const event = JSON.parse(data.toString()) as Record<string, unknown>;
      events.push(event);
      if (stop(event)) {
        ws.off("message", onMessage);
        resolve({ events, closed: false });
      }
    };
    ws.on("message", onMessage);
    ws.once("close", () => resolve({ events, closed: true }));
  });
}

const terminal = (event: Record<string, unknown>) =>
  event.type === "response.completed" || event.type === "response.failed" || event.type === "error";

function create(input: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    type: "response.create",
    model: "gpt-test",
    input: [{ type: "message", role: "user", content: [{ type: "input_text", text: input }] }],
    client_metadata: { "x-codex-installation-id": "inst-1", "x-codex-window-id": "T1:0" },
    ...extra,
  });
}

async function open(options: FakeBackendOptions = {}, headers: Record<string, string> = {}) {
  backend = await startFakeBackend(options);
  const tokens = backend.issueTokens();
  const result = await connect(wsUrl(backend), {
    authorization: `Bearer ${tokens.accessToken}`,
    "chatgpt-account-id": backend.account.chatgptAccountId,
    "openai-beta": "responses_websockets=2026-02-06",
    ...headers,
  });
  if (!("ws" in result)) throw new Error(`handshake refused with ${result.status}`);
  return { b: backend, ws: result.ws, upgradeHeaders: result.upgradeHeaders, tokens };
}

describe("Responses over WebSocket", () => {
  it("streams response.create answers, reusing the socket across turns", async () => {
    const { b, ws, upgradeHeaders } = await open(
      {},
      { "x-oai-attestation": "v1.ws", "x-codex-window-id": "T1:0" },
    );
    expect(upgradeHeaders["x-codex-turn-state"]).toMatch(/^ts_/);
    expect(upgradeHeaders["x-codex-primary-used-percent"]).toBe("12.5");
    const first = collect(ws, terminal);
    ws.send(create("first turn"));
    const { events } = await first;
    expect(events.map((e) => e.type)).toEqual([
      "codex.rate_limits",
      "response.created",
      "response.output_item.added",
      "response.output_text.delta",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[0]).toMatchObject({
      plan_type: "plus",
      rate_limits: { primary: { used_percent: 12.5 } },
    });
    expect(events[3]).toMatchObject({ delta: "first turn" });
    const id = (events.at(-1)!.response as Record<string, unknown>).id as string;

    const second = collect(ws, terminal);
    ws.send(create("second", { previous_response_id: id }));
    const followUp = await second;
    expect(followUp.events.at(-1)).toMatchObject({
      type: "response.completed",
      response: { previous_response_id: id },
    });

    const record = b.state.lastRequest("codex.responses")!;
    expect(record).toMatchObject({
      transport: "websocket",
      status: 101,
      authScheme: "bearer",
      attestation: "v1.ws",
      chatgptAccountId: b.account.chatgptAccountId,
    });
    expect(record.codexHeaders["openai-beta"]).toBe("responses_websockets=2026-02-06");
    expect(record.websocketMessages).toHaveLength(2);
    expect(record.websocketMessages[0]).toMatchObject({
      client_metadata: { "x-codex-window-id": "T1:0" },
    });
  });

  it("answers a prewarm (generate: false) with created + completed only", async () => {
    const { ws } = await open();
    const done = collect(ws, terminal);
    ws.send(create("ignored", { generate: false }));
    const { events } = await done;
    expect(events.map((e) => e.type)).toEqual([
      "codex.rate_limits",
      "response.created",
      "response.completed",
    ]);
  });

  it("leaves the queued script for the turn that follows a prewarm", async () => {
    const { b, ws } = await open();
    b.enqueue(scripts.text("the scripted answer"));
    const prewarm = collect(ws, terminal);
    ws.send(create("hello", { generate: false }));
    const warmed = (await prewarm).events.at(-1) as { response: { id: string; output: unknown[] } };
    expect(warmed).toMatchObject({ type: "response.completed", response: { output: [] } });
    expect(b.pendingScripts()).toBe(1);

    const turn = collect(ws, terminal);
    ws.send(create("hello", { previous_response_id: warmed.response.id }));
    const { events } = await turn;
    const text = events
      .filter((e) => e.type === "response.output_text.delta")
      .map((e) => e.delta)
      .join("");
    expect(text).toBe("the scripted answer");
    expect(b.pendingScripts()).toBe(0);
  });

  it("sends scripted status faults as wrapped error frames", async () => {
    const { b, ws } = await open();
    b.enqueue(
      scripts.rateLimited({ retryAfterSeconds: 3 }),
      scripts.failed("server_is_overloaded", "busy"),
    );
    const limited = collect(ws, terminal);
    ws.send(create("x"));
    expect((await limited).events.at(-1)).toMatchObject({
      type: "error",
      status: 429,
      error: { code: "rate_limit_exceeded" },
      headers: { "retry-after": "3" },
    });
    const failed = collect(ws, terminal);
    ws.send(create("y"));
    expect((await failed).events.at(-1)).toMatchObject({
      type: "response.failed",
      response: { error: { code: "server_is_overloaded" } },
    });
  });

  it("refuses the upgrade with 426 once when scripted, then accepts", async () => {
    backend = await startFakeBackend();
    const token = backend.issueTokens().accessToken;
    backend.enqueue(scripts.upgradeRequired());
    const refused = await connect(wsUrl(backend), { authorization: `Bearer ${token}` });
    expect(refused).toMatchObject({ status: 426 });
    // The HTTP fallback is not affected by the handshake fault.
    const http = await fetch(`${backend.chatgptBaseUrl}/codex/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: [] }),
    });
    expect(http.status).toBe(200);
    await http.text();
    const accepted = await connect(wsUrl(backend), { authorization: `Bearer ${token}` });
    expect("ws" in accepted).toBe(true);
    expect(backend.state.requestsTo("codex.responses").map((r) => [r.transport, r.status])).toEqual(
      [
        ["websocket", 426],
        ["http", 200],
        ["websocket", 101],
      ],
    );
  });

  it("refuses handshakes without valid auth or attestation", async () => {
    backend = await startFakeBackend({ require: { attestation: true } });
    const token = backend.issueTokens().accessToken;
    expect(await connect(wsUrl(backend), {})).toMatchObject({ status: 401 });
    expect(await connect(wsUrl(backend), { authorization: "Bearer nope" })).toMatchObject({
      status: 401,
    });
    expect(await connect(wsUrl(backend), { authorization: `Bearer ${token}` })).toMatchObject({
      status: 403,
    });
    expect(
      await connect(wsUrl(backend, "/elsewhere"), { authorization: `Bearer ${token}` }),
    ).toMatchObject({ status: 404 });
    const ok = await connect(wsUrl(backend), {
      authorization: `Bearer ${token}`,
      "x-oai-attestation": "v1.x",
    });
    expect("ws" in ok).toBe(true);
  });

  it("drops the socket mid-stream and stalls on script", async () => {
    const { b, ws } = await open();
    b.enqueue(scripts.disconnect("part"));
    const dropped = await (() => {
      const pending = collect(ws, () => false);
      ws.send(create("x"));
      return pending;
    })();
    expect(dropped.closed).toBe(true);
    expect(dropped.events.map((e) => e.type)).toEqual([
      "codex.rate_limits",
      "response.created",
      "response.output_item.added",
      "response.output_text.delta",
    ]);

    const again = await connect(wsUrl(b), {
      authorization: `Bearer ${b.issueTokens().accessToken}`,
    });
    if (!("ws" in again)) throw new Error("handshake refused");
    b.enqueue(scripts.stall("wait"));
    const stalled = collect(again.ws, (e) => e.type === "response.output_text.delta");
    again.ws.send(create("y"));
    expect((await stalled).closed).toBe(false);
    const closed = collect(again.ws, () => false);
    b.releaseStalls();
    expect((await closed).closed).toBe(true);
  });

  it("drops the socket before any event when scripted so", async () => {
    const { b, ws } = await open({ rateLimits: false });
    b.enqueue(scripts.stream([{ type: "disconnect" }]));
    const dropped = collect(ws, () => false);
    ws.send(create("x"));
    expect(await dropped).toEqual({ events: [], closed: true });
  });

  it("answers malformed messages with error frames and keeps serving", async () => {
    const { ws } = await open();
    const bad = [
      "not json",
      JSON.stringify({ type: "response.cancel" }),
      JSON.stringify({ type: "response.create", input: [] }),
      JSON.stringify({ type: "response.create", model: "m", previous_response_id: "resp_x" }),
    ];
    for (const message of bad) {
      const reply = collect(ws, terminal);
      ws.send(message);
      expect((await reply).events.at(-1)).toMatchObject({ type: "error", status: 400 });
    }
    const binary = collect(ws, terminal);
    ws.send(Buffer.from([1, 2, 3]));
    expect((await binary).events.at(-1)).toMatchObject({ type: "error", status: 400 });
    const ok = collect(ws, terminal);
    ws.send(create("still alive"));
    expect((await ok).events.at(-1)).toMatchObject({ type: "response.completed" });
  });

  it("closes a socket that sends more than maxBodyBytes", async () => {
    const { ws } = await open({ maxBodyBytes: 512 });
    const closed = collect(ws, () => false);
    ws.send(create("x".repeat(2000)));
    expect((await closed).closed).toBe(true);
  });
});

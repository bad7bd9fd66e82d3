import { type IncomingMessage, request } from "node:http";
import { compress, init } from "@bokuweb/zstd-wasm";
import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeBackend,
  type FakeBackendOptions,
  scripts,
  startFakeBackend,
} from "../src/index.js";
import { deltaText, parseSse, readUntil } from "./helpers/sse.js";

let backend: FakeBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

const USER_INPUT = [
  {
    type: "message",
    role: "user",
    content: [{ type: "input_text", text: "hello fake backend, echo me back" }],
  },
];

async function start(options: FakeBackendOptions = {}) {
  backend = await startFakeBackend(options);
  const tokens = backend.issueTokens();
  return { b: backend, tokens };
}

function codexCall(
  b: FakeBackend,
  accessToken: string,
  headers: Record<string, string> = {},
  body: unknown = { model: "gpt-test", input: USER_INPUT, stream: true },
) {
  return fetch(`${b.chatgptBaseUrl}/codex/responses`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${accessToken}`,
      "content-type": "application/json",
      accept: "text/event-stream",
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe("Responses over HTTP SSE", () => {
  it("echoes the last user message with upstream event shapes and usage", async () => {
    const { b, tokens } = await start();
    const res = await codexCall(b, tokens.accessToken, {
      "chatgpt-account-id": b.account.chatgptAccountId,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("openai-model")).toBe("gpt-test");
    expect(res.headers.get("x-codex-primary-used-percent")).toBe("12.5");
    expect(res.headers.get("x-codex-secondary-window-minutes")).toBe("10080");
    expect(res.headers.get("x-codex-credits-has-credits")).toBe("true");
    expect(res.headers.get("x-codex-turn-state")).toMatch(/^ts_/);
    const frames = parseSse(await res.text());
    expect(frames.map((f) => f.event)).toEqual([
      "response.created",
      "response.output_item.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(frames.every((f) => f.event === f.data.type)).toBe(true);
    expect(deltaText(frames)).toBe("hello fake backend, echo me back");
    const completed = frames.at(-1)!.data.response as Record<string, unknown>;
    expect(completed.status).toBe("completed");
    expect(completed.usage).toMatchObject({
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 8,
    });
    expect((completed.output as unknown[]).length).toBe(1);
  });

  it("answers x-request-id naming its own record even when another request arrives while its body streams in", async () => {
    const { b, tokens } = await start();
    const body = JSON.stringify({ model: "gpt-test", input: USER_INPUT });
    const slow = request(`${b.chatgptBaseUrl}/codex/responses`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.accessToken}`,
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      },
    });
    const slowResponse = new Promise<IncomingMessage>((resolve, reject) => {
      slow.on("response", resolve);
      slow.on("error", reject);
    });
    slow.write(body.slice(0, 10));
    while (b.state.requests.length === 0) await new Promise<void>((r) => setImmediate(r));
    const fast = await codexCall(b, tokens.accessToken);
    await fast.text();
    slow.end(body.slice(10));
    const res = await slowResponse;
    res.resume();
    const [first, second] = b.state.requests;
    expect(res.headers["x-request-id"]).toBe(`req_${first!.id}`);
    expect(fast.headers.get("x-request-id")).toBe(`req_${second!.id}`);
  });

  it("records auth scheme, account id, attestation and every Codex header", async () => {
    const { b, tokens } = await start();
    const headers = {
      "chatgpt-account-id": b.account.chatgptAccountId,
      "x-oai-attestation": "v1.attest",
      originator: "codex_cli_rs",
      version: "0.131.0",
      "session-id": "S1",
      "thread-id": "T1",
      "x-client-request-id": "T1",
      "x-codex-window-id": "T1:0",
      "x-codex-turn-state": "ts_abc",
      "x-codex-turn-metadata": '{"turn_id":"u1"}',
      "x-openai-subagent": "review",
      "x-codex-installation-id": "inst-1",
      "x-codex-beta-features": "a,b",
    };
    const res = await codexCall(b, tokens.accessToken, headers);
    expect(res.headers.get("x-codex-turn-state")).toBe("ts_abc");
    await res.text();
    const record = b.state.lastRequest("codex.responses")!;
    expect(record).toMatchObject({
      transport: "http",
      authScheme: "bearer",
      bearer: { kind: "access_token", valid: true, accountId: b.account.chatgptAccountId },
      chatgptAccountId: b.account.chatgptAccountId,
      attestation: "v1.attest",
      status: 200,
    });
    expect(record.codexHeaders).toMatchObject(headers);
    expect(record.body).toMatchObject({ model: "gpt-test" });
  });

  it("serves the OpenAI API surface for API keys without ChatGPT rate-limit headers", async () => {
    const { b } = await start();
    const res = await fetch(`${b.openaiBaseUrl}/responses`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test-1", "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-test",
        input: [{ role: "user", content: "plain string" }],
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-codex-primary-used-percent")).toBeNull();
    expect(deltaText(parseSse(await res.text()))).toBe("plain string");
    expect(b.state.lastRequest("openai.responses")?.bearer).toEqual({
      kind: "api_key",
      valid: true,
    });
    const bad = await fetch(`${b.openaiBaseUrl}/responses`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${b.issueTokens().accessToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ model: "gpt-test", input: [] }),
    });
    expect(bad.status).toBe(401);
  });

  it("streams a scripted response: items, deltas, completed with usage", async () => {
    const { b, tokens } = await start();
    b.enqueue(
      scripts.stream(
        [
          { type: "created" },
          {
            type: "output_item_done",
            item: { type: "function_call", call_id: "c1", name: "shell", arguments: "{}" },
          },
          { type: "message", text: "abcdef", chunkSize: 2 },
          {
            type: "event",
            event: {
              type: "response.reasoning_summary_text.delta",
              delta: "thinking",
              summary_index: 0,
            },
          },
          {
            type: "completed",
            usage: {
              inputTokens: 7,
              cachedInputTokens: 3,
              outputTokens: 5,
              reasoningOutputTokens: 2,
            },
            endTurn: true,
          },
        ],
        { "x-models-etag": "etag-1" },
      ),
    );
    const res = await codexCall(b, tokens.accessToken);
    expect(res.headers.get("x-models-etag")).toBe("etag-1");
    const frames = parseSse(await res.text());
    expect(
      frames.filter((f) => f.event === "response.output_text.delta").map((f) => f.data.delta),
    ).toEqual(["ab", "cd", "ef"]);
    expect(frames.some((f) => f.event === "response.reasoning_summary_text.delta")).toBe(true);
    const done = frames.at(-1)!.data.response as Record<string, unknown>;
    expect(done.usage).toEqual({
      input_tokens: 7,
      input_tokens_details: { cached_tokens: 3 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 2 },
      total_tokens: 12,
    });
    expect(done.end_turn).toBe(true);
    expect((done.output as Record<string, unknown>[]).map((item) => item.type)).toEqual([
      "function_call",
      "message",
    ]);
    expect(frames.map((f) => f.data.sequence_number)).toEqual(frames.map((_, i) => i));
  });

  it("answers response.failed and response.incomplete", async () => {
    const { b, tokens } = await start();
    b.enqueue(
      scripts.failed("context_length_exceeded", "Your input exceeds the context window"),
      scripts.stream([{ type: "created" }, { type: "incomplete", reason: "max_output_tokens" }]),
    );
    const failed = parseSse(await (await codexCall(b, tokens.accessToken)).text());
    expect(failed.at(-1)!.data).toMatchObject({
      type: "response.failed",
      response: { status: "failed", error: { code: "context_length_exceeded" } },
    });
    const incomplete = parseSse(await (await codexCall(b, tokens.accessToken)).text());
    expect(incomplete.at(-1)!.data).toMatchObject({
      type: "response.incomplete",
      response: { incomplete_details: { reason: "max_output_tokens" } },
    });
  });

  it("answers 429 with retry-after, 5xx, and 401 once then succeeds", async () => {
    const { b, tokens } = await start();
    b.enqueue(
      scripts.rateLimited({ retryAfterSeconds: 7 }),
      scripts.serverError(503),
      scripts.unauthorized(),
    );
    expect(b.pendingScripts()).toBe(3);
    const limited = await codexCall(b, tokens.accessToken);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe(
      "rate_limit_exceeded",
    );
    const unavailable = await codexCall(b, tokens.accessToken);
    expect(unavailable.status).toBe(503);
    await unavailable.body?.cancel();
    const unauthorized = await codexCall(b, tokens.accessToken);
    expect(unauthorized.status).toBe(401);
    await unauthorized.body?.cancel();
    const ok = await codexCall(b, tokens.accessToken);
    expect(ok.status).toBe(200);
    await ok.text();
    expect(b.state.requestsTo("codex.responses").map((r) => r.status)).toEqual([
      429, 503, 401, 200,
    ]);
  });

  it("stalls with the connection open until released", async () => {
    const { b, tokens } = await start();
    b.enqueue(scripts.stall("partial "));
    const res = await codexCall(b, tokens.accessToken);
    const { text, reader } = await readUntil(res.body!, (t) => t.includes("partial "));
    expect(text).toContain("response.created");
    const next = reader.read();
    b.releaseStalls();
    await expect(next).rejects.toThrow();
  });

  it("drops the connection mid-stream without a terminal event", async () => {
    const { b, tokens } = await start();
    b.enqueue(scripts.disconnect("half an ans"));
    const res = await codexCall(b, tokens.accessToken);
    expect(res.status).toBe(200);
    const { text, reader } = await readUntil(res.body!, (t) => t.includes("half an ans"));
    expect(text).not.toContain("response.completed");
    // Well-formed even when cut: the item is added before its first delta.
    const added = text.indexOf("event: response.output_item.added");
    expect(added).toBeGreaterThan(-1);
    expect(added).toBeLessThan(text.indexOf("event: response.output_text.delta"));
    await expect(
      (async () => {
        for (;;) {
          const { done } = await reader.read();
          if (done) return "ended cleanly";
        }
      })(),
    ).rejects.toThrow();
  });

  it("drops the connection right after the headers when scripted so", async () => {
    const { b, tokens } = await start();
    b.enqueue(scripts.stream([{ type: "disconnect" }]));
    const res = await codexCall(b, tokens.accessToken);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    const after = await codexCall(b, tokens.accessToken);
    expect(after.status).toBe(200);
    await after.text();
  });

  it("chains previous_response_id and refuses unknown ids", async () => {
    const { b, tokens } = await start();
    const first = parseSse(await (await codexCall(b, tokens.accessToken)).text());
    const id = (first.at(-1)!.data.response as { id: string }).id;
    const second = await codexCall(
      b,
      tokens.accessToken,
      {},
      { model: "m", input: [], previous_response_id: id },
    );
    expect(second.status).toBe(200);
    await second.text();
    const unknown = await codexCall(
      b,
      tokens.accessToken,
      {},
      { model: "m", input: [], previous_response_id: "resp_nope" },
    );
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe(
      "previous_response_not_found",
    );
  });

  it("compacts history on /codex/responses/compact", async () => {
    const { b, tokens } = await start();
    const res = await fetch(`${b.chatgptBaseUrl}/codex/responses/compact`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.accessToken}`,
        "content-type": "application/json",
        "x-codex-installation-id": "inst",
      },
      body: JSON.stringify({
        model: "m",
        input: [...USER_INPUT, { type: "message", role: "assistant", content: [] }],
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { output: Record<string, unknown>[] };
    expect(body.output).toHaveLength(2);
    expect(body.output[0]).toEqual(USER_INPUT[0]);
    expect(body.output[1]).toMatchObject({ role: "assistant" });
    expect(
      b.state.lastRequest("codex.responses.compact")?.codexHeaders["x-codex-installation-id"],
    ).toBe("inst");
  });

  it("demands attestation (403), an account id (403) and an AgentAssertion (401) when configured", async () => {
    const { b, tokens } = await start({
      require: { attestation: "v1.good", chatgptAccountId: true },
    });
    const acct = { "chatgpt-account-id": b.account.chatgptAccountId };
    expect((await codexCall(b, tokens.accessToken, acct)).status).toBe(403);
    expect(
      (await codexCall(b, tokens.accessToken, { ...acct, "x-oai-attestation": "v1.bad" })).status,
    ).toBe(403);
    expect(
      (await codexCall(b, tokens.accessToken, { "x-oai-attestation": "v1.good" })).status,
    ).toBe(403);
    const ok = await codexCall(b, tokens.accessToken, { ...acct, "x-oai-attestation": "v1.good" });
    expect(ok.status).toBe(200);
    await ok.text();
    await b.close();

    const second = await start({ require: { agentAssertion: true } });
    const refused = await codexCall(second.b, second.tokens.accessToken);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      "agent_assertion_required",
    );
  });

  it.each([
    ["no authorization", {}, 401, "missing_authorization"],
    ["unknown scheme", { authorization: "Basic abc" }, 401, "invalid_authorization"],
    ["unknown bearer", { authorization: "Bearer not-a-token" }, 401, "invalid_token"],
    [
      "malformed assertion",
      { authorization: "AgentAssertion !!!" },
      401,
      "invalid_agent_assertion",
    ],
  ])("refuses %s", async (_name, headers: Record<string, string>, status, code) => {
    const { b } = await start();
    const res = await fetch(`${b.chatgptBaseUrl}/codex/responses`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ model: "m", input: [] }),
    });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it.each([
    ["invalid JSON", "{", 400, "invalid_json"],
    ["missing model", "{}", 400, "invalid_request"],
    ["input not an array", '{"model":"m","input":"x"}', 400, "invalid_request"],
    ["bad generate", '{"model":"m","generate":"no"}', 400, "invalid_request"],
  ])("answers %s with a JSON 4xx", async (_name, body, status, code) => {
    const { b, tokens } = await start();
    const res = await fetch(`${b.chatgptBaseUrl}/codex/responses`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.accessToken}`,
        "content-type": "application/json",
      },
      body,
    });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it("limits body size, decodes zstd bodies and refuses other encodings", async () => {
    const { b, tokens } = await start({ maxBodyBytes: 1024 });
    const big = await codexCall(
      b,
      tokens.accessToken,
      {},
      { model: "m", input: [{ role: "user", content: "x".repeat(2000) }] },
    );
    expect(big.status).toBe(413);
    await big.body?.cancel();
    const notZstd = await codexCall(b, tokens.accessToken, { "content-encoding": "zstd" });
    expect(notZstd.status).toBe(400);
    await notZstd.body?.cancel();
    const gzip = await codexCall(b, tokens.accessToken, { "content-encoding": "gzip" });
    expect(gzip.status).toBe(415);
    await gzip.body?.cancel();
    await init();
    const zstd = await fetch(`${b.chatgptBaseUrl}/codex/responses`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.accessToken}`,
        "content-type": "application/json",
        "content-encoding": "zstd",
      },
      body: compress(
        new TextEncoder().encode(JSON.stringify({ model: "gpt-test", input: USER_INPUT })),
        3,
      ),
    });
    expect(zstd.status).toBe(200);
    expect(deltaText(parseSse(await zstd.text()))).toBe("hello fake backend, echo me back");
    expect(b.state.requests.at(-1)?.body).toMatchObject({ model: "gpt-test" });
    const ok = await codexCall(b, tokens.accessToken);
    expect(ok.status).toBe(200);
    await ok.text();
  });
});

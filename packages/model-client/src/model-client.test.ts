import { readFileSync } from "node:fs";
import { createHttpClient } from "@codex/http";

import { Secret } from "@codex/wire";
import { captureLogger } from "@codex/wire/testing";
import { decompress as zstdDecompress } from "fzstd";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AttestationProvider } from "./attestation.js";
import { type AuthRecovery, apiKeyAuth, type ModelAuth, type RequestAuth } from "./model-auth.js";
import { ModelClient } from "./model-client.js";
import { ModelClientError } from "./model-client-error.js";
import type { ModelClientOptions } from "./model-client-options.js";
import { createOpenAiProvider, createOssProvider } from "./model-provider-info.js";
import type { ResponseEvent } from "./response-event.js";
import type { Prompt } from "./responses-request.js";

const server = setupServer();
beforeAll(() =>
  server.listen({
    // Fail the test on any request nobody expected, naming only method and URL (never the body).
    onUnhandledRequest: (request) => {
      throw new Error(`unexpected request ${request.method} ${request.url}`);
    },
  }),
);
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const fixture = JSON.parse(
  readFileSync(
    new URL("../test/fixtures/upstream-0.169-responses-request.json", import.meta.url),
    "utf8",
  ),
) as {
  apiKeyHttp: { headerNames: string[]; bodyKeys: string[] };
  chatgptHttp: { headerNames: string[]; bodyKeys: string[]; path: string };
};
/** Names the transport adds on its own (Node's fetch), not the client. */
const TRANSPORT_HEADERS = new Set([
  "host",
  "content-length",
  "connection",
  "accept-encoding",
  "accept-language",
  "sec-fetch-mode",
  "user-agent-transport",
]);

const API = "https://api.openai.test/v1";
const CHATGPT = "https://chatgpt.test/backend-api";
const prompt: Prompt = {
  input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hello" }] }],
};
const turnMetadata = JSON.stringify({
  session_id: "S1",
  thread_id: "T1",
  turn_id: "u1",
  root_turn_id: "u1",
});

function sse(events: readonly Record<string, unknown>[]): string {
  return events.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join("");
}

const completedStream = (id = "resp_1", text = "hi") =>
  sse([
    { type: "response.created", response: { id } },
    { type: "response.output_text.delta", delta: text },
    {
      type: "response.output_item.done",
      item: {
        type: "message",
        role: "assistant",
        id: "msg_1",
        content: [{ type: "output_text", text }],
      },
    },
    {
      type: "response.completed",
      response: { id, usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } },
    },
  ]);

function sseResponse(
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
) {
  return new HttpResponse(body, {
    status: 200,
    headers: { "content-type": "text/event-stream", ...headers },
  });
}

type Overrides = Partial<Omit<ModelClientOptions, "auth">> & { auth?: ModelAuth | undefined };

function client(overrides: Overrides = {}): ModelClient {
  const { auth, ...rest } = overrides;
  const resolvedAuth = "auth" in overrides ? auth : apiKeyAuth("sk-test");
  return new ModelClient({
    provider: createOpenAiProvider(API),
    sessionId: "S1",
    threadId: "T1",
    installationId: "1111",
    ...(resolvedAuth === undefined ? {} : { auth: resolvedAuth }),
    env: {},
    websockets: false,
    clientVersion: "0.1.0",
    http: createHttpClient({ sleep: async () => {} }),
    sleep: async () => {},
    ...rest,
  });
}

async function collect(stream: AsyncIterable<ResponseEvent>): Promise<ResponseEvent[]> {
  const events: ResponseEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

async function failure(stream: AsyncIterable<ResponseEvent>): Promise<ModelClientError> {
  try {
    await collect(stream);
  } catch (error) {
    if (ModelClientError.is(error)) return error;
    throw error;
  }
  throw new Error("the stream did not fail");
}

class ChatgptLogin implements ModelAuth {
  token = "at-1";
  recoveries = 0;
  failRecovery = false;
  constructor(
    readonly value: (token: string) => string = (t) => `Bearer ${t}`,
    readonly steps = 2,
  ) {}
  async requestAuth(): Promise<RequestAuth> {
    return {
      mode: "chatgpt",
      authorization: new Secret(this.value(this.token)),
      accountId: "acct-1",
    };
  }
  unauthorizedRecovery(): AuthRecovery {
    let left = this.steps;
    return {
      mode: "managed",
      stepName: () => (left === 2 ? "reload" : left === 1 ? "refresh_token" : "done"),
      hasNext: () => left > 0,
      unavailableReason: () => (left > 0 ? "ready" : "recovery_exhausted"),
      next: async () => {
        left--;
        this.recoveries++;
        if (this.failRecovery) throw new Error("refresh refused");
        this.token = `at-${this.recoveries + 1}`;
        return { authStateChanged: true };
      },
    };
  }
}

describe("ModelClientSession over HTTP SSE", () => {
  it("sends exactly the header names and body keys of the 0.169 client (API key)", async () => {
    let names: string[] = [];
    let body: Record<string, unknown> = {};
    server.use(
      http.post(`${API}/responses`, async ({ request }) => {
        names = [...request.headers.keys()];
        body = (await request.json()) as Record<string, unknown>;
        return sseResponse(completedStream());
      }),
    );
    const session = client({ betaFeatures: ["feature_a", "feature_b"] }).newSession();
    const events = await collect(session.stream(prompt, { model: "gpt-test", turnMetadata }));
    expect(events.at(-1)).toMatchObject({ type: "completed", responseId: "resp_1" });
    const expected = fixture.apiKeyHttp.headerNames.filter((n) => !TRANSPORT_HEADERS.has(n));
    expect(names.filter((n) => !TRANSPORT_HEADERS.has(n)).sort()).toEqual([...expected].sort());
    expect(Object.keys(body)).toEqual(fixture.apiKeyHttp.bodyKeys);
    expect(body.prompt_cache_key).toBe("T1");
  });

  it("sends the header values upstream sends", async () => {
    let headers = new Headers();
    server.use(
      http.post(`${API}/responses`, ({ request }) => {
        headers = request.headers;
        return sseResponse(completedStream());
      }),
    );
    const c = client({
      betaFeatures: ["a", "b"],
      env: { CODEX_INTERNAL_ORIGINATOR_OVERRIDE: "codex_exec_test" },
    });
    c.advanceWindowGeneration();
    await collect(c.newSession().stream(prompt, { model: "gpt-test", turnMetadata }));
    expect(Object.fromEntries(headers)).toMatchObject({
      authorization: "Bearer sk-test",
      originator: "codex_exec_test",
      "session-id": "S1",
      "thread-id": "T1",
      "x-client-request-id": "T1",
      "x-codex-window-id": "T1:1",
      "x-codex-turn-metadata": turnMetadata,
      "x-codex-beta-features": "a,b",
      accept: "text/event-stream",
      "content-type": "application/json",
    });
    expect(headers.get("user-agent")).toMatch(/^codex_exec_test\/0\.1\.0 \(/);
    expect(headers.has("chatgpt-account-id")).toBe(false);
  });

  it("in ChatGPT mode goes to <chatgpt base>/codex with chatgpt-account-id (fixture names)", async () => {
    let names: string[] = [];
    let account: string | null = null;
    server.use(
      http.post("https://chatgpt.com/backend-api/codex/responses", ({ request }) => {
        names = [...request.headers.keys()];
        account = request.headers.get("chatgpt-account-id");
        return sseResponse(completedStream());
      }),
    );
    // The fixture was captured from a custom provider (named `fake`), which upstream never
    // compresses; the built-in provider's zstd body is covered under "request compression".
    const c = client({
      provider: createOpenAiProvider(),
      auth: new ChatgptLogin(),
      betaFeatures: ["a"],
      requestCompression: false,
    });
    await collect(c.newSession().stream(prompt, { model: "gpt-test", turnMetadata }));
    const expected = fixture.chatgptHttp.headerNames.filter((n) => !TRANSPORT_HEADERS.has(n));
    expect(names.filter((n) => !TRANSPORT_HEADERS.has(n)).sort()).toEqual([...expected].sort());
    expect(account).toBe("acct-1");
  });

  it("never sends chatgpt-account-id under an AgentAssertion", async () => {
    let headers = new Headers();
    server.use(
      http.post("https://chatgpt.com/backend-api/codex/responses", ({ request }) => {
        headers = request.headers;
        return sseResponse(completedStream());
      }),
    );
    const login = new ChatgptLogin((t) => `AgentAssertion signed-${t}`);
    await collect(
      client({ provider: createOpenAiProvider(), auth: login })
        .newSession()
        .stream(prompt, { model: "m" }),
    );
    expect(headers.get("authorization")).toBe("AgentAssertion signed-at-1");
    expect(headers.has("chatgpt-account-id")).toBe(false);
  });

  it("keeps the first x-codex-turn-state for the turn and never carries it into the next turn", async () => {
    const seen: (string | null)[] = [];
    let n = 0;
    server.use(
      http.post(`${API}/responses`, ({ request }) => {
        seen.push(request.headers.get("x-codex-turn-state"));
        n++;
        return sseResponse(completedStream(), { "x-codex-turn-state": `ts_${n}` });
      }),
    );
    const c = client();
    const turn = c.newSession();
    await collect(turn.stream(prompt, { model: "m" }));
    await collect(turn.stream(prompt, { model: "m" }));
    expect(turn.turnState).toBe("ts_1");
    await collect(c.newSession().stream(prompt, { model: "m" }));
    expect(seen).toEqual([null, "ts_1", null]);
  });

  it("emits server model, rate limits, etag and reasoning-included from the headers first", async () => {
    server.use(
      http.post(`${API}/responses`, () =>
        sseResponse(completedStream(), {
          "openai-model": "gpt-served",
          "x-codex-primary-used-percent": "25",
          "x-codex-primary-window-minutes": "300",
          "x-models-etag": "etag-1",
          "x-reasoning-included": "true",
          "x-request-id": "req-1",
        }),
      ),
    );
    const events = await collect(client().newSession().stream(prompt, { model: "m" }));
    expect(events.slice(0, 4)).toEqual([
      { type: "server_model", model: "gpt-served" },
      {
        type: "rate_limits",
        snapshot: { limitId: "codex", primary: { usedPercent: 25, windowMinutes: 300 } },
      },
      { type: "models_etag", etag: "etag-1" },
      { type: "server_reasoning_included", included: true },
    ]);
    expect(events.map((e) => e.type).slice(4)).toEqual([
      "created",
      "output_text_delta",
      "output_item_done",
      "completed",
    ]);
  });
});

describe("errors and retries", () => {
  it("does not retry a 429 and reports upstream's retry-limit text with the request id", async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/responses`, () => {
        calls++;
        return HttpResponse.json(
          { error: { type: "rate_limit_exceeded", code: "rate_limit_exceeded", message: "slow" } },
          { status: 429, headers: { "x-request-id": "req-429", "retry-after": "1" } },
        );
      }),
    );
    const error = await failure(client().newSession().stream(prompt, { model: "m" }));
    expect(calls).toBe(1);
    expect(error.code).toBe("retry_limit");
    expect(error.message).toBe(
      "exceeded retry limit, last status: 429 Too Many Requests, request id: req-429",
    );
    expect(error.retryable).toBe(false);
  });

  it("retries a 5xx with backoff and Retry-After, then reports the high-demand text", async () => {
    let calls = 0;
    const delays: number[] = [];
    server.use(
      http.post(`${API}/responses`, () => {
        calls++;
        return HttpResponse.json(
          { error: { message: "boom" } },
          { status: 502, headers: { "retry-after": "2" } },
        );
      }),
    );
    // Transport retries only: no turn-level resend (streamMaxRetries 0), see the next tests.
    const c = client({
      provider: { ...createOpenAiProvider(API), requestMaxRetries: 3, streamMaxRetries: 0 },
      http: createHttpClient({ sleep: async (ms) => void delays.push(ms) }),
    });
    const error = await failure(c.newSession().stream(prompt, { model: "m" }));
    expect(calls).toBe(4);
    expect(delays).toEqual([2000, 2000, 2000]);
    expect(error.code).toBe("internal_server_error");
    expect(error.message).toBe(
      "We’re currently experiencing high demand, which may cause temporary errors.",
    );
  });

  it("recovers a 5xx within the retry budget", async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/responses`, () =>
        ++calls < 3 ? HttpResponse.json({}, { status: 500 }) : sseResponse(completedStream()),
      ),
    );
    const events = await collect(client().newSession().stream(prompt, { model: "m" }));
    expect(calls).toBe(3);
    expect(events.at(-1)?.type).toBe("completed");
  });

  it("maps insufficient_quota to the quota text, after the body ends", async () => {
    server.use(
      http.post(`${API}/responses`, () =>
        sseResponse(
          sse([
            { type: "response.created", response: { id: "r" } },
            {
              type: "response.failed",
              response: { error: { code: "insufficient_quota", message: "x" } },
            },
            { type: "response.output_text.delta", delta: "after" },
          ]),
        ),
      ),
    );
    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const e of client().newSession().stream(prompt, { model: "m" })) seen.push(e.type);
    } catch (error) {
      caught = error;
    }
    expect(seen).toEqual(["rate_limits", "created", "output_text_delta"]);
    expect((caught as ModelClientError).code).toBe("quota_exceeded");
    expect((caught as Error).message).toBe("Quota exceeded. Check your plan and billing details.");
  });

  it("reports a stream closed before response.completed", async () => {
    server.use(
      http.post(`${API}/responses`, () =>
        sseResponse(sse([{ type: "response.created", response: {} }])),
      ),
    );
    const c = client({ provider: { ...createOpenAiProvider(API), streamMaxRetries: 0 } });
    const error = await failure(c.newSession().stream(prompt, { model: "m" }));
    expect(error.code).toBe("stream");
    expect(error.message).toBe("stream closed before response.completed");
  });

  it("resends a cut stream within the stream budget, announcing each reconnect", async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/responses`, () => {
        calls++;
        if (calls > 2) return sseResponse(completedStream());
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(
              new TextEncoder().encode(sse([{ type: "response.created", response: {} }])),
            );
            controller.error(new Error("connection reset"));
          },
        });
        return sseResponse(stream);
      }),
    );
    const events = await collect(client().newSession().stream(prompt, { model: "m" }));
    const reconnects = events.filter((e) => e.type === "reconnecting");
    expect(reconnects.map((e) => e.type === "reconnecting" && [e.attempt, e.maxAttempts])).toEqual([
      [1, 5],
      [2, 5],
    ]);
    const first = reconnects[0];
    expect(first?.type === "reconnecting" && first.error.message).toMatch(
      /^stream disconnected before completion: /,
    );
    expect(events.at(-1)?.type).toBe("completed");
  });

  it("gives up a cut stream once the stream budget is spent", async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/responses`, () => {
        calls++;
        return sseResponse(
          new ReadableStream({
            start(controller) {
              controller.error(new Error("reset"));
            },
          }),
        );
      }),
    );
    const c = client({ provider: { ...createOpenAiProvider(API), streamMaxRetries: 2 } });
    const error = await failure(c.newSession().stream(prompt, { model: "m" }));
    expect(calls).toBe(3);
    expect(error.message).toMatch(/^stream disconnected before completion: /);
  });

  it("ends an idle stream: keep-alive comments do not reset the idle deadline", async () => {
    let timer: ReturnType<typeof setInterval> | undefined;
    server.use(
      http.post(`${API}/responses`, () =>
        sseResponse(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(
                new TextEncoder().encode(sse([{ type: "response.created", response: {} }])),
              );
              timer = setInterval(
                () => controller.enqueue(new TextEncoder().encode(": keep-alive\n\n")),
                5,
              );
            },
            cancel() {
              clearInterval(timer);
            },
          }),
        ),
      ),
    );
    const c = client({
      provider: { ...createOpenAiProvider(API), streamIdleTimeoutMs: 60, streamMaxRetries: 0 },
    });
    const error = await failure(c.newSession().stream(prompt, { model: "m" }));
    clearInterval(timer);
    expect(error.code).toBe("stream");
    expect(error.message).toBe("idle timeout waiting for SSE");
  });

  it("has a deadline for the first event apart from the idle deadline", async () => {
    server.use(
      http.post(`${API}/responses`, () =>
        sseResponse(new ReadableStream<Uint8Array>({ start() {} })),
      ),
    );
    const c = client({
      provider: { ...createOpenAiProvider(API), streamMaxRetries: 0 },
      firstEventTimeoutMs: 30,
    });
    const error = await failure(c.newSession().stream(prompt, { model: "m" }));
    expect(error.message).toBe("idle timeout waiting for SSE");
  });

  it("has a deadline for the response headers", async () => {
    server.use(
      http.post(`${API}/responses`, async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return sseResponse(completedStream());
      }),
    );
    const c = client({
      provider: { ...createOpenAiProvider(API), streamMaxRetries: 0, requestMaxRetries: 0 },
      headersTimeoutMs: 20,
    });
    const error = await failure(c.newSession().stream(prompt, { model: "m" }));
    expect(error.code).toBe("timeout");
    expect(error.retryable).toBe(true);
  });

  it("runs the 401 recovery and sends again with the refreshed credentials", async () => {
    const auths: (string | null)[] = [];
    server.use(
      http.post("https://chatgpt.com/backend-api/codex/responses", ({ request }) => {
        auths.push(request.headers.get("authorization"));
        return auths.length < 3
          ? HttpResponse.json({ error: { code: "token_expired" } }, { status: 401 })
          : sseResponse(completedStream());
      }),
    );
    const login = new ChatgptLogin();
    const { logger, records } = captureLogger("debug");
    const events = await collect(
      client({ provider: createOpenAiProvider(), auth: login, logger })
        .newSession()
        .stream(prompt, { model: "m" }),
    );
    expect(auths).toEqual(["Bearer at-1", "Bearer at-2", "Bearer at-3"]);
    expect(
      records
        .filter((r) => r.msg === "model request auth")
        .map((r) => [
          r.fields.auth_mode,
          r.fields.retry_after_unauthorized,
          r.fields.recovery_phase,
        ]),
    ).toEqual([
      ["Chatgpt", false, null],
      ["Chatgpt", true, "reload"],
      ["Chatgpt", true, "refresh_token"],
    ]);
    expect(JSON.stringify(records)).not.toContain("at-1");
    expect(login.recoveries).toBe(2);
    expect(events.at(-1)?.type).toBe("completed");
  });

  it("returns the 401 once the recovery is exhausted; a failed refresh is refresh_token_failed", async () => {
    server.use(
      http.post("https://chatgpt.com/backend-api/codex/responses", () =>
        HttpResponse.json(
          { error: { code: "token_expired" } },
          { status: 401, headers: { "x-request-id": "r401" } },
        ),
      ),
    );
    const exhausted = await failure(
      client({ provider: createOpenAiProvider(), auth: new ChatgptLogin() })
        .newSession()
        .stream(prompt, { model: "m" }),
    );
    expect(exhausted.code).toBe("unexpected_status");
    expect(exhausted.status).toBe(401);
    const broken = new ChatgptLogin();
    broken.failRecovery = true;
    const refresh = await failure(
      client({ provider: createOpenAiProvider(), auth: broken })
        .newSession()
        .stream(prompt, { model: "m" }),
    );
    expect(refresh.code).toBe("refresh_token_failed");
    expect(refresh.message).not.toContain("at-1");
  });

  it("an API key gets no recovery: the 401 is returned at once", async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/responses`, () => {
        calls++;
        return HttpResponse.json({}, { status: 401 });
      }),
    );
    // No turn-level resend either (streamMaxRetries 0): the first answer is the result.
    const error = await failure(
      client({ provider: { ...createOpenAiProvider(API), streamMaxRetries: 0 } })
        .newSession()
        .stream(prompt, { model: "m" }),
    );
    expect(calls).toBe(1);
    expect(error.status).toBe(401);
  });

  // Observed on the real codex 0.169 (conformance/test/model-client.conformance.test.ts): once the
  // transport's retries are spent, a 5xx (or another unexpected status) is sent again by the turn,
  // within stream_max_retries, each resend with its own transport retries ("Reconnecting... n/m").
  it("resends a 5xx turn once the transport retries are spent, within streamMaxRetries", async () => {
    const statuses = [500, 500, 502, 502];
    const seen: number[] = [];
    server.use(
      http.post(`${API}/responses`, () => {
        const status = statuses.shift();
        seen.push(status ?? 200);
        return status === undefined
          ? sseResponse(completedStream())
          : HttpResponse.json({ error: { message: "boom" } }, { status });
      }),
    );
    const turnDelays: number[] = [];
    const c = client({
      provider: { ...createOpenAiProvider(API), requestMaxRetries: 1, streamMaxRetries: 2 },
      sleep: async (ms) => void turnDelays.push(ms),
      random: () => 0.5,
    });
    const events = await collect(c.newSession().stream(prompt, { model: "m" }));
    expect(seen).toEqual([500, 500, 502, 502, 200]);
    const reconnects = events.flatMap((e) =>
      e.type === "reconnecting" ? [[e.attempt, e.maxAttempts, e.error.code, e.error.status]] : [],
    );
    expect(reconnects).toEqual([
      [1, 2, "internal_server_error", 500],
      [2, 2, "internal_server_error", 502],
    ]);
    expect(turnDelays).toEqual([200, 400]);
    expect(events.at(-1)?.type).toBe("completed");
  });

  it("reports the high-demand text when the turn-level resends are spent too", async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/responses`, () => {
        calls++;
        return HttpResponse.json({}, { status: 500 });
      }),
    );
    const c = client({
      provider: { ...createOpenAiProvider(API), requestMaxRetries: 1, streamMaxRetries: 1 },
    });
    const events: ResponseEvent[] = [];
    let caught: unknown;
    try {
      for await (const event of c.newSession().stream(prompt, { model: "m" })) events.push(event);
    } catch (error) {
      caught = error;
    }
    expect(calls).toBe(4);
    expect(events.map((e) => e.type)).toEqual(["reconnecting"]);
    expect(ModelClientError.is(caught) && caught.code).toBe("internal_server_error");
    expect(ModelClientError.is(caught) && caught.message).toBe(
      "We’re currently experiencing high demand, which may cause temporary errors.",
    );
  });

  it("resends an unexpected status (404) but never a 429, quota or bad request", async () => {
    const answers = [404];
    let calls = 0;
    server.use(
      http.post(`${API}/responses`, () => {
        calls++;
        const status = answers.shift();
        return status === undefined
          ? sseResponse(completedStream())
          : HttpResponse.json({}, { status });
      }),
    );
    const provider = { ...createOpenAiProvider(API), requestMaxRetries: 0, streamMaxRetries: 3 };
    const events = await collect(client({ provider }).newSession().stream(prompt, { model: "m" }));
    expect(calls).toBe(2);
    expect(events.filter((e) => e.type === "reconnecting")).toHaveLength(1);
    for (const [status, body, code] of [
      [429, { error: { code: "rate_limit_exceeded" } }, "retry_limit"],
      [429, { error: { code: "insufficient_quota" } }, "quota_exceeded"],
      [400, { error: { message: "bad" } }, "invalid_request"],
    ] as const) {
      calls = 0;
      server.use(
        http.post(`${API}/responses`, () => {
          calls++;
          return HttpResponse.json(body, { status });
        }),
      );
      const error = await failure(client({ provider }).newSession().stream(prompt, { model: "m" }));
      expect([error.code, calls]).toEqual([code, 1]);
    }
  });
});

describe("request compression", () => {
  interface Seen {
    readonly encoding: string | null;
    readonly names: string[];
    readonly body: unknown;
  }

  async function seen(request: Request): Promise<Seen> {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const encoding = request.headers.get("content-encoding");
    const text = new TextDecoder().decode(encoding === "zstd" ? zstdDecompress(bytes) : bytes);
    return { encoding, names: [...request.headers.keys()], body: JSON.parse(text) };
  }

  function recordAt(url: string, out: Seen[], first?: () => Response | undefined) {
    server.use(
      http.post(url, async ({ request }) => {
        out.push(await seen(request));
        return first?.() ?? sseResponse(completedStream());
      }),
    );
  }

  it("zstd-compresses the body for a ChatGPT login to the built-in provider, else nothing changes", async () => {
    const out: Seen[] = [];
    recordAt("https://chatgpt.com/backend-api/codex/responses", out);
    const chatgpt = { provider: createOpenAiProvider(), auth: new ChatgptLogin() } as const;
    await collect(client(chatgpt).newSession().stream(prompt, { model: "m", turnMetadata }));
    await collect(
      client({ ...chatgpt, requestCompression: false })
        .newSession()
        .stream(prompt, { model: "m", turnMetadata }),
    );
    expect(out.map((s) => s.encoding)).toEqual(["zstd", null]);
    // The same request apart from the encoding header: the body decodes to the same JSON.
    expect(out[0]?.body).toEqual(out[1]?.body);
    const rest = (names: string[] | undefined) =>
      (names ?? []).filter((n) => n !== "content-encoding" && n !== "content-length").sort();
    expect(rest(out[0]?.names)).toEqual(rest(out[1]?.names));
    expect(out[1]?.names).not.toContain("content-encoding");
  });

  it("never compresses for API keys, custom providers or when turned off", async () => {
    const out: Seen[] = [];
    recordAt(`${API}/responses`, out);
    recordAt("https://custom.test/v1/responses", out);
    await collect(client().newSession().stream(prompt, { model: "m" }));
    await collect(
      client({
        provider: { name: "fake", baseUrl: "https://custom.test/v1", requiresOpenaiAuth: true },
        auth: new ChatgptLogin(),
      })
        .newSession()
        .stream(prompt, { model: "m" }),
    );
    expect(out.map((s) => s.encoding)).toEqual([null, null]);
  });

  it("sends the compressed body again after a 401 recovery", async () => {
    const out: Seen[] = [];
    recordAt("https://chatgpt.com/backend-api/codex/responses", out, () =>
      out.length === 1 ? HttpResponse.json({}, { status: 401 }) : undefined,
    );
    const login = new ChatgptLogin();
    await collect(
      client({ provider: createOpenAiProvider(), auth: login })
        .newSession()
        .stream(prompt, { model: "m" }),
    );
    expect(login.recoveries).toBe(1);
    expect(out.map((s) => s.encoding)).toEqual(["zstd", "zstd"]);
    expect(out[1]?.body).toEqual(out[0]?.body);
  });

  it("compaction bodies stay uncompressed", async () => {
    let encoding: string | null = "unset";
    server.use(
      http.post("https://chatgpt.com/backend-api/codex/responses/compact", ({ request }) => {
        encoding = request.headers.get("content-encoding");
        return HttpResponse.json({ output: [] });
      }),
    );
    await client({ provider: createOpenAiProvider(), auth: new ChatgptLogin() }).compact(prompt, {
      model: "m",
    });
    expect(encoding).toBeNull();
  });
});

describe("cancellation", () => {
  it("aborting the signal ends the stream with aborted", async () => {
    server.use(
      http.post(`${API}/responses`, () =>
        sseResponse(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(
                new TextEncoder().encode(sse([{ type: "response.created", response: {} }])),
              );
            },
          }),
        ),
      ),
    );
    const controller = new AbortController();
    const stream = client()
      .newSession()
      .stream(prompt, { model: "m" }, { signal: controller.signal });
    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const e of stream) {
        seen.push(e.type);
        if (e.type === "created") controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(seen).toContain("created");
    expect((caught as ModelClientError).code).toBe("aborted");
  });

  it("an already aborted signal sends nothing", async () => {
    const error = await failure(
      client().newSession().stream(prompt, { model: "m" }, { signal: AbortSignal.abort() }),
    );
    expect(error.code).toBe("aborted");
  });
});

describe("feedback tags", () => {
  // Twin of upstream client_tests.rs `response_stream_records_last_model_feedback_ids`.
  it("records last_model_request_id and last_model_response_id, debug-formatted", async () => {
    server.use(
      http.post(`${API}/responses`, () =>
        sseResponse(
          sse([
            { type: "response.created", response: {} },
            { type: "response.completed", response: { id: "resp-123", end_turn: true } },
          ]),
          { "x-request-id": "req-123" },
        ),
      ),
    );
    const { logger, records } = captureLogger("info");
    await collect(client({ logger }).newSession().stream(prompt, { model: "m" }));
    const tags = Object.assign(
      {},
      ...records.filter((r) => r.msg === "feedback_tags").map((r) => r.fields),
    ) as Record<string, string>;
    expect(tags.last_model_request_id).toBe('"req-123"');
    expect(tags.last_model_response_id).toBe('"resp-123"');
  });
});

describe("attestation scoping", () => {
  function counting(): AttestationProvider & { calls: number } {
    const provider = {
      calls: 0,
      async tokenForRequest() {
        provider.calls++;
        return `v1.header-${provider.calls}`;
      },
    };
    return provider;
  }

  it("attests each HTTP send to the ChatGPT Codex backend, the 401 resend included", async () => {
    const headers: (string | null)[] = [];
    server.use(
      http.post(`${CHATGPT}/codex/responses`, ({ request }) => {
        headers.push(request.headers.get("x-oai-attestation"));
        return headers.length === 1
          ? HttpResponse.json({}, { status: 401 })
          : sseResponse(completedStream());
      }),
    );
    const attestation = counting();
    const c = client({
      provider: createOpenAiProvider(),
      chatgptBaseUrl: CHATGPT,
      auth: new ChatgptLogin(),
      attestationProvider: attestation,
    });
    // The provider resolves the ChatGPT base from the configured chatgpt_base_url.
    const provider = createOpenAiProvider(`${CHATGPT}/codex`);
    await collect(
      client({
        provider,
        chatgptBaseUrl: CHATGPT,
        auth: new ChatgptLogin(),
        attestationProvider: attestation,
      })
        .newSession()
        .stream(prompt, { model: "m" }),
    );
    expect(headers).toEqual(['{"v":1,"s":0,"t":"v1.header-1"}', '{"v":1,"s":0,"t":"v1.header-2"}']);
    expect(attestation.calls).toBe(2);
    expect(c.sessionId).toBe("S1");
  });

  it("attests compaction to the ChatGPT Codex backend", async () => {
    let header: string | null = null;
    let installation: string | null = null;
    server.use(
      http.post(`${CHATGPT}/codex/responses/compact`, ({ request }) => {
        header = request.headers.get("x-oai-attestation");
        installation = request.headers.get("x-codex-installation-id");
        return HttpResponse.json({ output: [{ type: "message", role: "user", content: [] }] });
      }),
    );
    const attestation = counting();
    const output = await client({
      provider: createOpenAiProvider(`${CHATGPT}/codex`),
      chatgptBaseUrl: CHATGPT,
      auth: new ChatgptLogin(),
      attestationProvider: attestation,
    }).compact(prompt, { model: "m" });
    expect(output).toHaveLength(1);
    expect(header).toBe('{"v":1,"s":0,"t":"v1.header-1"}');
    expect(installation).toBe("1111");
  });

  // Twin of upstream client_tests.rs `non_chatgpt_codex_endpoints_omit_attestation_generation`
  // (Responses and compaction here; realtime call setup under "realtime calls").
  it("never calls the provider for API keys, OSS providers or other ChatGPT hosts", async () => {
    const seen: (string | null)[] = [];
    const record = ({ request }: { request: Request }) => {
      seen.push(request.headers.get("x-oai-attestation"));
      return request.url.endsWith("/compact")
        ? HttpResponse.json({ output: [] })
        : sseResponse(completedStream());
    };
    server.use(
      http.post(`${API}/responses`, record),
      http.post(`${API}/responses/compact`, record),
      http.post("http://127.0.0.1:11434/v1/responses", record),
      http.post("https://other.test/backend-api/codex/responses", record),
    );
    const attestation = counting();
    const apiKey = client({ attestationProvider: attestation, chatgptBaseUrl: CHATGPT });
    await collect(apiKey.newSession().stream(prompt, { model: "m" }));
    await apiKey.compact(prompt, { model: "m" });
    const oss = client({
      provider: createOssProvider("http://127.0.0.1:11434/v1"),
      auth: undefined,
      attestationProvider: attestation,
    });
    await collect(oss.newSession().stream(prompt, { model: "m" }));
    const elsewhere = client({
      provider: createOpenAiProvider("https://other.test/backend-api/codex"),
      auth: new ChatgptLogin(),
      chatgptBaseUrl: CHATGPT,
      attestationProvider: attestation,
    });
    await collect(elsewhere.newSession().stream(prompt, { model: "m" }));
    expect(seen).toEqual([null, null, null, null]);
    expect(attestation.calls).toBe(0);
  });

  it("a slow or failing provider never fails the request", async () => {
    const headers: (string | null)[] = [];
    server.use(
      http.post(`${CHATGPT}/codex/responses`, ({ request }) => {
        headers.push(request.headers.get("x-oai-attestation"));
        return sseResponse(completedStream());
      }),
    );
    const base = {
      provider: createOpenAiProvider(`${CHATGPT}/codex`),
      chatgptBaseUrl: CHATGPT,
      auth: new ChatgptLogin(),
    };
    await collect(
      client({
        ...base,
        attestationBudgetMs: 10,
        attestationProvider: { tokenForRequest: () => new Promise(() => {}) },
      })
        .newSession()
        .stream(prompt, { model: "m" }),
    );
    await collect(
      client({
        ...base,
        attestationProvider: { tokenForRequest: async () => Promise.reject(new Error("x")) },
      })
        .newSession()
        .stream(prompt, { model: "m" }),
    );
    expect(headers).toEqual(['{"v":1,"s":1}', '{"v":1,"s":2}']);
  });
});

describe("realtime calls", () => {
  function counting(): AttestationProvider & { calls: number } {
    const provider = {
      calls: 0,
      async tokenForRequest() {
        provider.calls++;
        return `v1.rt-${provider.calls}`;
      },
    };
    return provider;
  }

  interface Call {
    readonly headers: Headers;
    readonly body: string;
  }

  function answerAt(url: string, calls: Call[], location = "/v1/realtime/calls/calls/rtc_abc") {
    server.use(
      http.post(url, async ({ request }) => {
        calls.push({ headers: request.headers, body: await request.text() });
        return new HttpResponse("v=answer\r\n", {
          status: 201,
          headers: { "content-type": "application/sdp", location },
        });
      }),
    );
  }

  const session = { id: "sess_1", model: "gpt-realtime", instructions: "talk" };

  // The attestation seed (001): realtime call setup is one of the four attested call kinds.
  it("ChatGPT auth to the Codex backend: JSON {sdp, session}, attested once, sideband headers", async () => {
    const calls: Call[] = [];
    answerAt(`${CHATGPT}/codex/realtime/calls`, calls);
    const attestation = counting();
    const start = await client({
      provider: createOpenAiProvider(`${CHATGPT}/codex`),
      chatgptBaseUrl: CHATGPT,
      auth: new ChatgptLogin(),
      attestationProvider: attestation,
      originator: "codex_exec_test",
    }).createRealtimeCall("v=offer\r\n", { session, headers: { "x-session-id": "rt-1" } });
    expect(start.sdp).toBe("v=answer\r\n");
    expect(start.callId).toBe("rtc_abc");
    expect(attestation.calls).toBe(1);
    expect(calls).toHaveLength(1);
    const sent = calls[0]!;
    expect(sent.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(sent.body)).toEqual({
      sdp: "v=offer\r\n",
      session: { model: "gpt-realtime", instructions: "talk" },
    });
    expect(Object.fromEntries(sent.headers)).toMatchObject({
      authorization: "Bearer at-1",
      "chatgpt-account-id": "acct-1",
      "x-oai-attestation": '{"v":1,"s":0,"t":"v1.rt-1"}',
      "x-session-id": "rt-1",
      originator: "codex_exec_test",
    });
    expect(start.sidebandHeaders).toEqual({
      "x-session-id": "rt-1",
      "x-oai-attestation": '{"v":1,"s":0,"t":"v1.rt-1"}',
      authorization: "Bearer at-1",
      "chatgpt-account-id": "acct-1",
    });
  });

  it("never attests a call with an API key, an OSS provider or another ChatGPT host", async () => {
    const calls: Call[] = [];
    answerAt(`${API}/realtime/calls`, calls, "/v1/realtime/calls/rtc_api");
    answerAt("http://127.0.0.1:11434/v1/realtime/calls", calls, "/v1/realtime/calls/rtc_oss");
    answerAt("https://other.test/backend-api/codex/realtime/calls", calls);
    const attestation = counting();
    const apiKey = await client({
      attestationProvider: attestation,
      chatgptBaseUrl: CHATGPT,
    }).createRealtimeCall("v=offer\r\n", { session });
    const oss = await client({
      provider: createOssProvider("http://127.0.0.1:11434/v1"),
      auth: undefined,
      attestationProvider: attestation,
    }).createRealtimeCall("v=offer\r\n");
    const elsewhere = await client({
      provider: createOpenAiProvider("https://other.test/backend-api/codex"),
      auth: new ChatgptLogin(),
      chatgptBaseUrl: CHATGPT,
      attestationProvider: attestation,
    }).createRealtimeCall("v=offer\r\n", { session });
    expect(attestation.calls).toBe(0);
    expect(calls.map((c) => c.headers.get("x-oai-attestation"))).toEqual([null, null, null]);
    for (const start of [apiKey, oss, elsewhere]) {
      expect(start.sidebandHeaders["x-oai-attestation"]).toBeUndefined();
    }
    expect([apiKey.callId, oss.callId]).toEqual(["rtc_api", "rtc_oss"]);
    // The API gets the multipart form, the bare SDP goes as application/sdp.
    expect(calls[0]?.headers.get("content-type")).toBe(
      "multipart/form-data; boundary=codex-realtime-call-boundary",
    );
    expect(calls[0]?.headers.get("authorization")).toBe("Bearer sk-test");
    expect(calls[1]?.headers.get("content-type")).toBe("application/sdp");
    expect(calls[1]?.body).toBe("v=offer\r\n");
    expect(oss.sidebandHeaders).toEqual({});
  });

  it("maps error answers, an answer without a call id, and refuses a bad offer", async () => {
    let status = 400;
    server.use(
      http.post(`${API}/realtime/calls`, () =>
        status === 200
          ? new HttpResponse("v=answer", { status: 200 })
          : HttpResponse.json(
              { error: { message: "bad sdp", type: "invalid_request_error" } },
              { status },
            ),
      ),
    );
    const c = client();
    const codeOf = async (run: Promise<unknown>) =>
      run.then(
        () => "resolved",
        (e: unknown) => (ModelClientError.is(e) ? e.code : "other"),
      );
    expect(await codeOf(c.createRealtimeCall("v=offer"))).toBe("invalid_request");
    status = 200;
    expect(await codeOf(c.createRealtimeCall("v=offer"))).toBe("stream");
    expect(await codeOf(c.createRealtimeCall(""))).toBe("invalid_argument");
  });
});

describe("compaction and memories", () => {
  it("compaction of an empty input returns [] without any request", async () => {
    expect(await client().compact({ input: [] }, { model: "m" })).toEqual([]);
  });

  it("compaction posts the compact body and maps errors", async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.post(`${API}/responses/compact`, async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ output: [{ type: "compaction", encrypted_content: "x" }] });
      }),
    );
    const out = await client().compact(
      { ...prompt, instructions: "i" },
      { model: "m", reasoning: { effort: "low" } },
    );
    expect(out).toEqual([{ type: "compaction", encrypted_content: "x" }]);
    expect(Object.keys(body)).toEqual([
      "model",
      "input",
      "instructions",
      "tools",
      "parallel_tool_calls",
      "reasoning",
      "prompt_cache_key",
    ]);
    server.use(
      http.post(`${API}/responses/compact`, () =>
        HttpResponse.json({ error: { code: "context_length_exceeded" } }, { status: 400 }),
      ),
    );
    const error = await client()
      .compact(prompt, { model: "m" })
      .catch((e: unknown) => e);
    expect((error as ModelClientError).code).toBe("invalid_request");
  });

  // Twin of upstream client_tests.rs `summarize_memories_returns_empty_for_empty_input`.
  it("summarising no memories returns [] without auth or network", async () => {
    const auth: ModelAuth = {
      requestAuth: async () => {
        throw new Error("auth must not be resolved");
      },
    };
    expect(await client({ auth }).summarizeMemories([], "gpt-test")).toHaveLength(0);
  });

  it("summarises memories without attestation", async () => {
    let headers = new Headers();
    server.use(
      http.post(`${CHATGPT}/codex/memories/trace_summarize`, ({ request }) => {
        headers = request.headers;
        return HttpResponse.json({ output: [{ raw_memory: "t", memory_summary: "m" }] });
      }),
    );
    const attestation = { calls: 0, tokenForRequest: async () => "v1.x" };
    const out = await client({
      provider: createOpenAiProvider(`${CHATGPT}/codex`),
      chatgptBaseUrl: CHATGPT,
      auth: new ChatgptLogin(),
      attestationProvider: attestation,
      sessionSource: { kind: "internal", internal: "memory_consolidation" },
    }).summarizeMemories([{ id: "1", sourcePath: "/a", items: [] }], "gpt-test");
    expect(out).toEqual([{ traceSummary: "t", memorySummary: "m" }]);
    expect(headers.has("x-oai-attestation")).toBe(false);
    expect(headers.get("x-openai-subagent")).toBe("memory_consolidation");
  });
});

describe("ModelClient", () => {
  // Twin of upstream client_tests.rs `build_ws_client_metadata_includes_window_lineage_and_turn_metadata`.
  it("builds WebSocket client metadata with window lineage and turn metadata", () => {
    const c = client({
      sessionSource: {
        kind: "sub_agent",
        subAgent: { kind: "thread_spawn", parentThreadId: "parent-7", depth: 2 },
      },
    });
    c.advanceWindowGeneration();
    expect(c.buildWsClientMetadata('{"turn_id":"turn-123"}')).toEqual({
      "x-codex-installation-id": "1111",
      "x-codex-window-id": "T1:1",
      "x-openai-subagent": "collab_spawn",
      "x-codex-parent-thread-id": "parent-7",
      "x-codex-turn-metadata": '{"turn_id":"turn-123"}',
    });
  });

  it("sets and advances the window generation", () => {
    const c = client();
    expect(c.windowId()).toBe("T1:0");
    c.setWindowGeneration(7);
    c.advanceWindowGeneration();
    expect(c.windowId()).toBe("T1:8");
    expect(() => c.setWindowGeneration(-1)).toThrow(ModelClientError);
  });

  it.each([
    ["empty session id", { sessionId: "" }],
    ["bad provider", { provider: { name: "" } }],
    ["bad attestation budget", { attestationBudgetMs: 0 }],
  ])("refuses %s", (_label, overrides) => {
    expect(() => client(overrides as Overrides)).toThrow(ModelClientError);
  });

  it("refuses to stream on a closed session", async () => {
    const session = client().newSession();
    session.close();
    session.close();
    expect(() => session.stream(prompt, { model: "m" })).toThrow(ModelClientError);
    await expect(session.prewarm(prompt, { model: "m" })).rejects.toThrow(ModelClientError);
  });

  it("refuses a bad turn before sending anything", () => {
    expect(() => client().newSession().stream(prompt, { model: "" })).toThrow(ModelClientError);
  });
});

import {
  type AgentIdentityKey,
  agentIdentityBiscuitUrl,
  agentRegistrationUrl,
  agentTaskRegistrationUrl,
  authorizationHeaderForAgentTask,
  decryptTaskIdResponse,
  generateAgentKeyMaterial,
  signTaskRegistrationPayload,
} from "@codex/agent-identity";
import {
  type FakeBackend,
  type FakeBackendOptions,
  scripts,
  startFakeBackend,
} from "@codex/fake-backend";
import { Secret } from "@codex/wire";
import { afterEach, describe, expect, it } from "vitest";
import {
  type AuthRecovery,
  apiKeyAuth,
  createOpenAiProvider,
  type ModelAuth,
  ModelClient,
  ModelClientError,
  type ModelClientOptions,
  type RequestAuth,
  type ResponseEvent,
} from "../src/index.js";

let backend: FakeBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

async function start(options: FakeBackendOptions = {}): Promise<FakeBackend> {
  backend = await startFakeBackend(options);
  return backend;
}

const prompt = {
  input: [
    { type: "message", role: "user", content: [{ type: "input_text", text: "hello there" }] },
  ],
};

function client(b: FakeBackend, overrides: Partial<ModelClientOptions> = {}): ModelClient {
  return new ModelClient({
    provider: createOpenAiProvider(b.openaiBaseUrl),
    sessionId: "S1",
    threadId: "T1",
    installationId: "11111111-1111-4111-8111-111111111111",
    auth: apiKeyAuth("sk-e2e"),
    env: {},
    websockets: false,
    sleep: async () => {},
    ...overrides,
  });
}

/** ChatGPT tokens minted by the backend; the recovery mints fresh ones (a refresh). */
class BackendLogin implements ModelAuth {
  token: string;
  refreshes = 0;
  constructor(readonly b: FakeBackend) {
    this.token = b.issueTokens().accessToken;
  }
  async requestAuth(): Promise<RequestAuth> {
    return {
      mode: "chatgpt",
      authorization: new Secret(`Bearer ${this.token}`),
      accountId: this.b.account.chatgptAccountId,
    };
  }
  unauthorizedRecovery(): AuthRecovery {
    let done = false;
    return {
      mode: "managed",
      stepName: () => (done ? "done" : "refresh_token"),
      hasNext: () => !done,
      unavailableReason: () => (done ? "recovery_exhausted" : "ready"),
      next: async () => {
        done = true;
        this.refreshes++;
        this.token = this.b.issueTokens().accessToken;
        return { authStateChanged: true };
      },
    };
  }
}

async function collect(stream: AsyncIterable<ResponseEvent>): Promise<ResponseEvent[]> {
  const events: ResponseEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const text = (events: readonly ResponseEvent[]) =>
  events.map((e) => (e.type === "output_text_delta" ? e.delta : "")).join("");

/** Registers an agent and a task the way login does, and signs assertions for it. */
async function agentTask(b: FakeBackend): Promise<() => string> {
  const { accessToken } = b.issueTokens();
  const biscuit = async (targetUrl: string) => {
    const res = await fetch(agentIdentityBiscuitUrl(b.chatgptBaseUrl), {
      headers: {
        authorization: `Bearer ${accessToken}`,
        "x-request-id": "model-client-e2e",
        "x-original-method": "POST",
        "x-original-url": targetUrl,
      },
    });
    return res.headers.get("x-openai-authorization") ?? "";
  };
  const post = async (url: string, body: unknown) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-openai-authorization": await biscuit(url) },
      body: JSON.stringify(body),
    });
  const material = generateAgentKeyMaterial();
  const registered = await post(agentRegistrationUrl(b.chatgptBaseUrl), {
    abom: { agent_version: "0.1.0", agent_harness_id: "codex-cli", running_location: "cli-linux" },
    agent_public_key: material.publicKeySsh,
    capabilities: [],
  });
  const { agent_runtime_id: agentRuntimeId } = (await registered.json()) as {
    agent_runtime_id: string;
  };
  const key: AgentIdentityKey = {
    agentRuntimeId,
    privateKeyPkcs8Base64: material.privateKeyPkcs8Base64,
  };
  const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const task = await post(agentTaskRegistrationUrl(b.chatgptBaseUrl, agentRuntimeId), {
    signature: signTaskRegistrationPayload(key, timestamp),
    timestamp,
  });
  const { encrypted_task_id } = (await task.json()) as { encrypted_task_id: string };
  const taskId = decryptTaskIdResponse(key, encrypted_task_id);
  return () => authorizationHeaderForAgentTask(key, { agentRuntimeId, taskId });
}

describe("HTTP SSE against the fake backend", () => {
  it("streams a turn with an API key and the 0.169 headers", async () => {
    const b = await start();
    const events = await collect(
      client(b, { betaFeatures: ["x"] })
        .newSession()
        .stream(prompt, { model: "gpt-test" }),
    );
    expect(text(events)).toBe("hello there");
    expect(events.at(-1)).toMatchObject({ type: "completed" });
    const record = b.state.lastRequest("openai.responses");
    expect(record?.bearer).toMatchObject({ kind: "api_key", valid: true });
    expect(record?.codexHeaders).toMatchObject({
      originator: "codex_cli_rs",
      "session-id": "S1",
      "thread-id": "T1",
      "x-client-request-id": "T1",
      "x-codex-window-id": "T1:0",
      "x-codex-beta-features": "x",
    });
    expect(record?.chatgptAccountId).toBeUndefined();
  });

  it("sends ChatGPT tokens with the account id the backend demands", async () => {
    const b = await start({ require: { chatgptAccountId: true } });
    const c = client(b, {
      provider: createOpenAiProvider(`${b.chatgptBaseUrl}/codex`),
      auth: new BackendLogin(b),
    });
    const events = await collect(c.newSession().stream(prompt, { model: "gpt-test" }));
    expect(text(events)).toBe("hello there");
    expect(
      events.some((e) => e.type === "rate_limits" && e.snapshot.primary?.usedPercent === 12.5),
    ).toBe(true);
    expect(b.state.lastRequest("codex.responses")?.chatgptAccountId).toBe(
      b.account.chatgptAccountId,
    );
  });

  it("zstd-compresses the ChatGPT body to the built-in provider; the backend decodes it", async () => {
    const b = await start();
    const c = client(b, {
      provider: createOpenAiProvider(`${b.chatgptBaseUrl}/codex`),
      auth: new BackendLogin(b),
    });
    const events = await collect(c.newSession().stream(prompt, { model: "gpt-test" }));
    expect(text(events)).toBe("hello there");
    const record = b.state.lastRequest("codex.responses");
    expect(record?.headers["content-encoding"]).toBe("zstd");
    expect(record?.body).toMatchObject({ model: "gpt-test", stream: true, store: false });
  });

  // Seed 002: an AgentAssertion replaces the Bearer and never travels with ChatGPT-Account-ID.
  it("sends an AgentAssertion the backend verifies, without chatgpt-account-id", async () => {
    const b = await start({ require: { agentAssertion: true } });
    const sign = await agentTask(b);
    const auth: ModelAuth = {
      requestAuth: async () => ({
        mode: "chatgpt",
        authorization: new Secret(sign()),
        accountId: b.account.chatgptAccountId,
      }),
    };
    const c = client(b, { provider: createOpenAiProvider(`${b.chatgptBaseUrl}/codex`), auth });
    const events = await collect(c.newSession().stream(prompt, { model: "gpt-test" }));
    expect(text(events)).toBe("hello there");
    const record = b.state.lastRequest("codex.responses");
    expect(record?.authScheme).toBe("agent-assertion");
    expect(record?.assertion?.verified).toBe(true);
    expect(record?.chatgptAccountId).toBeUndefined();
  });

  it("attests ChatGPT Codex calls when the backend demands it (loopback base)", async () => {
    const b = await start({ require: { attestation: '{"v":1,"s":0,"t":"v1.e2e"}' } });
    const c = client(b, {
      provider: createOpenAiProvider(`${b.chatgptBaseUrl}/codex`),
      chatgptBaseUrl: b.chatgptBaseUrl,
      auth: new BackendLogin(b),
      attestationProvider: { tokenForRequest: async () => "v1.e2e" },
    });
    expect(text(await collect(c.newSession().stream(prompt, { model: "gpt-test" })))).toBe(
      "hello there",
    );
    const compacted = await c.compact(prompt, { model: "gpt-test" });
    expect(compacted.length).toBeGreaterThan(0);
    expect(b.state.lastRequest("codex.responses.compact")?.attestation).toBe(
      '{"v":1,"s":0,"t":"v1.e2e"}',
    );
  });

  it("recovers a 401 through the login and sends again", async () => {
    const b = await start();
    b.enqueue(scripts.unauthorized());
    const login = new BackendLogin(b);
    const c = client(b, {
      provider: createOpenAiProvider(`${b.chatgptBaseUrl}/codex`),
      auth: login,
    });
    expect(text(await collect(c.newSession().stream(prompt, { model: "gpt-test" })))).toBe(
      "hello there",
    );
    expect(login.refreshes).toBe(1);
    expect(b.state.requestsTo("codex.responses").map((r) => r.status)).toEqual([401, 200]);
  });

  it("retries 5xx answers and gives up on a 429 at once", async () => {
    const b = await start();
    b.enqueue(scripts.serverError(503), scripts.serverError(500));
    const c = client(b);
    expect(text(await collect(c.newSession().stream(prompt, { model: "gpt-test" })))).toBe(
      "hello there",
    );
    expect(b.state.requestsTo("openai.responses").map((r) => r.status)).toEqual([503, 500, 200]);
    b.enqueue(scripts.rateLimited({ retryAfterSeconds: 0 }), scripts.text("never"));
    const error = await collect(c.newSession().stream(prompt, { model: "gpt-test" })).catch(
      (e: unknown) => e,
    );
    expect(ModelClientError.is(error) && error.code).toBe("retry_limit");
    expect((error as Error).message).toMatch(
      /^exceeded retry limit, last status: 429 Too Many Requests, request id: req_\d+$/,
    );
    expect(b.pendingScripts()).toBe(1);
  });

  it("resends a cut stream and completes", async () => {
    const b = await start();
    b.enqueue(scripts.disconnect("par"), scripts.text("whole answer"));
    const events = await collect(client(b).newSession().stream(prompt, { model: "gpt-test" }));
    const reconnect = events.find((e) => e.type === "reconnecting");
    expect(reconnect?.type === "reconnecting" && reconnect.error.message).toMatch(
      /^stream disconnected before completion: /,
    );
    const afterReconnect = events.slice(events.indexOf(reconnect as ResponseEvent) + 1);
    expect(text(afterReconnect)).toBe("whole answer");
  });

  it("ends a stalled stream at the idle deadline and closes the connection", async () => {
    const b = await start();
    b.enqueue(scripts.stall("x"));
    const c = client(b, {
      provider: {
        ...createOpenAiProvider(b.openaiBaseUrl),
        streamIdleTimeoutMs: 100,
        streamMaxRetries: 0,
      },
    });
    const error = await collect(c.newSession().stream(prompt, { model: "gpt-test" })).catch(
      (e: unknown) => e,
    );
    expect((error as ModelClientError).code).toBe("stream");
    expect((error as Error).message).toBe("idle timeout waiting for SSE");
  });

  it("a consumer that breaks off a stalled stream returns at once", async () => {
    const b = await start();
    b.enqueue(scripts.stall("partial"));
    const seen: string[] = [];
    for await (const event of client(b).newSession().stream(prompt, { model: "gpt-test" })) {
      seen.push(event.type);
      if (event.type === "output_text_delta") break;
    }
    expect(seen).toContain("output_text_delta");
    // The next turn on the same backend still works: nothing is left hanging on the client.
    expect(text(await collect(client(b).newSession().stream(prompt, { model: "gpt-test" })))).toBe(
      "hello there",
    );
  });
});

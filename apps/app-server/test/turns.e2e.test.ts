/**
 * The built `codex-app-server` over stdio: turns through the thread engine with the connection's
 * attestation provider and external-token refresher (app-server-0169.md §5, §7, §8). Every
 * message the server writes validates against schema-0.169.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeBackend, scripts, startFakeBackend } from "@codex/fake-backend";
import { AuthManager } from "@codex/login";
import { ChatGptAuthFixture } from "@codex/login/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppServerProcess, type Message } from "./support/app-server-process.js";

let backend: FakeBackend;
const servers: AppServerProcess[] = [];

beforeAll(async () => {
  backend = await startFakeBackend({
    account: { chatgptAccountId: "acct-demo", workspaceBackendOrigin: "https://127.0.0.1" },
  });
});
afterAll(async () => {
  await backend.close();
});
afterEach(async () => {
  for (const server of servers.splice(0)) {
    expect(server.violations).toEqual([]);
    await server.dispose();
  }
});

function start(options: Partial<ConstructorParameters<typeof AppServerProcess>[0]> = {}) {
  const server = new AppServerProcess({
    backend,
    configLines: ["attestation_timeout_ms = 300"],
    ...options,
  });
  servers.push(server);
  return server;
}

const paramsOf = (message: Message) => message.params as Record<string, unknown>;

function externalTokens() {
  return {
    type: "chatgptAuthTokens",
    accessToken: backend.issueTokens().accessToken,
    chatgptAccountId: "acct-demo",
    chatgptPlanType: "plus",
  };
}

/** thread/start then turn/start "hi"; resolves with the turn/completed notification. */
async function runTurn(server: AppServerProcess): Promise<Message> {
  const thread = await server.request("thread/start", {});
  const threadId = ((thread.result as Message).thread as Message).id as string;
  const from = server.messages.length;
  const turn = await server.request("turn/start", {
    threadId,
    input: [{ type: "text", text: "hi", text_elements: [] }],
  });
  expect((turn.result as Message).turn).toMatchObject({ status: "inProgress" });
  return server.notification("turn/completed", from);
}

const responsesCalls = () => backend.state.requests.filter((r) => r.endpoint === "codex.responses");

describe("attestation/generate (0.169 §7)", () => {
  it("asks a connection that advertised requestAttestation once per send, and maps each answer", async () => {
    const answers: Array<(m: Message) => Message | undefined> = [
      () => ({ result: { token: "v1.demo-token-1" } }),
      () => ({ error: { code: -32000, message: "no device" } }),
      () => ({ result: { headerValue: "legacy" } }),
      () => undefined,
    ];
    let asked = 0;
    const requests: Message[] = [];
    const server = start({
      onServerRequest: (m) => {
        if (m.method !== "attestation/generate") return undefined;
        requests.push(m);
        return answers[asked++]?.(m);
      },
    });
    await server.initialize({ experimentalApi: true, requestAttestation: true });
    await server.request("account/login/start", externalTokens());
    await server.notification("account/login/completed");
    const seen: Array<string | undefined> = [];
    for (let i = 0; i < answers.length; i++) {
      backend.enqueue(scripts.text("hello from demo"));
      const completed = await runTurn(server);
      expect((paramsOf(completed).turn as Message).status).toBe("completed");
      seen.push(responsesCalls().at(-1)?.attestation);
    }
    expect(seen).toEqual([
      '{"v":1,"s":0,"t":"v1.demo-token-1"}',
      '{"v":1,"s":2}',
      '{"v":1,"s":4}',
      '{"v":1,"s":1}',
    ]);
    expect(requests.map((r) => r.params)).toEqual([{}, {}, {}, {}]);
    const ids = requests.map((r) => r.id as number);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
  });

  it("never asks without the capability, nor under API-key auth", async () => {
    const plain = start({ onServerRequest: () => ({ result: { token: "v1.x" } }) });
    await plain.initialize({ experimentalApi: true });
    await plain.request("account/login/start", externalTokens());
    await plain.notification("account/login/completed");
    backend.enqueue(scripts.text("ok"));
    await runTurn(plain);
    expect(responsesCalls().at(-1)?.attestation).toBeUndefined();

    const apiKey = start({
      args: ["-c", `model_providers.demo.base_url="${backend.openaiBaseUrl}"`],
      onServerRequest: () => ({ result: { token: "v1.x" } }),
    });
    await apiKey.initialize({ requestAttestation: true });
    await apiKey.request("account/login/start", { type: "apiKey", apiKey: "sk-test" });
    backend.enqueue(scripts.text("ok"));
    const completed = await runTurn(apiKey);
    expect((paramsOf(completed).turn as Message).status).toBe("completed");
    const call = backend.state.requests.filter((r) => r.endpoint === "openai.responses").at(-1);
    expect(call?.headers.authorization).toBe("Bearer sk-test");
    expect(call?.attestation).toBeUndefined();
    for (const server of [plain, apiKey]) {
      expect(server.messages.some((m) => m.method === "attestation/generate")).toBe(false);
    }
  });
});

describe("turn/start outputSchema", () => {
  it("is sent as the strict text.format of the turn's Responses request", async () => {
    const server = start({
      args: ["-c", `model_providers.demo.base_url="${backend.openaiBaseUrl}"`],
    });
    await server.initialize({});
    await server.request("account/login/start", { type: "apiKey", apiKey: "sk-test" });
    backend.enqueue(scripts.text('{"ok":true}'));
    const thread = await server.request("thread/start", {});
    const threadId = ((thread.result as Message).thread as Message).id as string;
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    const from = server.messages.length;
    await server.request("turn/start", {
      threadId,
      input: [{ type: "text", text: "answer in JSON", text_elements: [] }],
      outputSchema: schema,
    });
    await server.notification("turn/completed", from);
    const call = backend.state.requests.filter((r) => r.endpoint === "openai.responses").at(-1);
    const body = call?.body as { text?: { format?: Record<string, unknown> } };
    expect(body.text?.format).toMatchObject({ type: "json_schema", strict: true, schema });
  });
});

describe("thread/tokenUsage/updated", () => {
  it("follows each model response that reported usage, with the thread's running total", async () => {
    const server = start({
      args: ["-c", `model_providers.demo.base_url="${backend.openaiBaseUrl}"`],
    });
    await server.initialize({});
    await server.request("account/login/start", { type: "apiKey", apiKey: "sk-test" });
    const usage = { inputTokens: 20, outputTokens: 10 };
    backend.enqueue(scripts.text("one", { usage }), scripts.text("two", { usage }));
    const thread = await server.request("thread/start", {});
    const threadId = ((thread.result as Message).thread as Message).id as string;
    const totals: unknown[] = [];
    for (const text of ["first", "second"]) {
      const from = server.messages.length;
      const turn = await server.request("turn/start", {
        threadId,
        input: [{ type: "text", text, text_elements: [] }],
      });
      const turnId = ((turn.result as Message).turn as Message).id;
      await server.notification("turn/completed", from);
      const updates = server.messages
        .slice(from)
        .filter((m) => m.method === "thread/tokenUsage/updated");
      expect(updates).toHaveLength(1);
      const params = paramsOf(updates[0] as Message);
      expect(params).toMatchObject({ threadId, turnId });
      const tokenUsage = params.tokenUsage as Record<string, Record<string, number>>;
      expect(tokenUsage.last).toMatchObject({ inputTokens: 20, outputTokens: 10, totalTokens: 30 });
      totals.push(tokenUsage.total?.totalTokens);
    }
    expect(totals).toEqual([30, 60]);
  });
});

describe("account/chatgptAuthTokens/refresh (0.169 §8)", () => {
  it("on a 401 asks the client, retries with the new token and completes the turn", async () => {
    let fresh = "";
    const server = start({
      onServerRequest: (m) => {
        if (m.method !== "account/chatgptAuthTokens/refresh") return undefined;
        fresh = backend.issueTokens().accessToken;
        return {
          result: { accessToken: fresh, chatgptAccountId: "acct-demo", chatgptPlanType: "plus" },
        };
      },
    });
    await server.initialize({ experimentalApi: true });
    await server.request("account/login/start", externalTokens());
    await server.notification("account/login/completed");
    backend.enqueue(scripts.unauthorized(), scripts.text("after refresh"));
    const completed = await runTurn(server);
    expect((paramsOf(completed).turn as Message).status).toBe("completed");
    const refresh = server.messages.find((m) => m.method === "account/chatgptAuthTokens/refresh");
    expect(refresh?.params).toEqual({ reason: "unauthorized", previousAccountId: "acct-demo" });
    expect(responsesCalls().at(-1)?.headers.authorization).toBe(`Bearer ${fresh}`);
  });

  it("an error answer fails the turn with auth refresh request failed: code=…", async () => {
    const server = start({
      onServerRequest: (m) =>
        m.method === "account/chatgptAuthTokens/refresh"
          ? { error: { code: -32000, message: "host says no" } }
          : undefined,
    });
    await server.initialize({ experimentalApi: true });
    await server.request("account/login/start", externalTokens());
    await server.notification("account/login/completed");
    backend.enqueue(scripts.unauthorized());
    const from = server.messages.length;
    const completed = await runTurn(server);
    const turn = paramsOf(completed).turn as Message;
    expect(turn.status).toBe("failed");
    expect((turn.error as Message).message).toBe("auth refresh request failed: code=-32000");
    const error = await server.notification("error", from);
    expect((paramsOf(error).error as Message).message).toBe(
      "auth refresh request failed: code=-32000",
    );
  });

  it("no answer within the configured timeout fails the turn", async () => {
    const server = start({ env: { CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS: "1000" } });
    await server.initialize({ experimentalApi: true });
    await server.request("account/login/start", externalTokens());
    await server.notification("account/login/completed");
    backend.enqueue(scripts.unauthorized());
    const completed = await runTurn(server);
    const turn = paramsOf(completed).turn as Message;
    expect(turn.status).toBe("failed");
    expect((turn.error as Message).message).toBe("auth refresh request timed out after 1s");
  });
});

describe("agent identity (use_agent_identity)", () => {
  it("a loopback backend admitted by agent_identity_allowed_hosts verifies the AgentAssertion", async () => {
    const strict = await startFakeBackend({ require: { agentAssertion: true } });
    try {
      const scratch = mkdtempSync(join(tmpdir(), "agent-auth-"));
      const login = await AuthManager.create({ codexHome: scratch, storeMode: "file", env: {} });
      const tokens = strict.issueTokens();
      await login.saveAuth(
        new ChatGptAuthFixture(tokens.accessToken)
          .refreshToken(tokens.refreshToken)
          .accountId(strict.account.chatgptAccountId)
          .chatgptAccountId(strict.account.chatgptAccountId)
          .build(),
      );
      const authJson = readFileSync(join(scratch, "auth.json"), "utf8");
      rmSync(scratch, { recursive: true, force: true });
      const server = new AppServerProcess({
        backend: strict,
        homeFiles: { "auth.json": authJson },
        args: [
          "-c",
          "features.use_agent_identity=true",
          "-c",
          'agent_identity_allowed_hosts=["127.0.0.1"]',
        ],
      });
      servers.push(server);
      await server.initialize();
      strict.enqueue(scripts.text("hello agent"));
      const completed = await runTurn(server);
      expect((paramsOf(completed).turn as Message).status).toBe("completed");
      const request = strict.state.lastRequest("codex.responses");
      expect(request?.authScheme).toBe("agent-assertion");
      expect(request?.assertion?.verified).toBe(true);
      expect(request?.chatgptAccountId).toBeUndefined();
      expect(strict.state.agents.size).toBe(1);
    } finally {
      await strict.close();
    }
  });
});

describe("disconnect", () => {
  it("a client that goes away mid-turn cancels the turn and the process exits", async () => {
    const server = start();
    await server.initialize({ experimentalApi: true });
    await server.request("account/login/start", externalTokens());
    await server.notification("account/login/completed");
    backend.enqueue(scripts.stall("partial"));
    const thread = await server.request("thread/start", {});
    const threadId = ((thread.result as Message).thread as Message).id as string;
    const from = server.messages.length;
    await server.request("turn/start", {
      threadId,
      input: [{ type: "text", text: "hi", text_elements: [] }],
    });
    await server.notification("item/agentMessage/delta", from);
    expect(await server.end()).toBe(0);
    backend.releaseStalls();
    // the rollout was flushed with the turn aborted
    const rollout = readFileSync(
      ((thread.result as Message).thread as Message).path as string,
      "utf8",
    );
    expect(rollout).toContain('"turn_aborted"');
  });

  it("SIGTERM mid-turn drains: the turn is aborted in the rollout and the process exits 0", async () => {
    const server = start();
    await server.initialize({ experimentalApi: true });
    await server.request("account/login/start", externalTokens());
    await server.notification("account/login/completed");
    backend.enqueue(scripts.stall("partial"));
    const thread = await server.request("thread/start", {});
    const threadId = ((thread.result as Message).thread as Message).id as string;
    const from = server.messages.length;
    await server.request("turn/start", {
      threadId,
      input: [{ type: "text", text: "hi", text_elements: [] }],
    });
    await server.notification("item/agentMessage/delta", from);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    backend.releaseStalls();
    const rollout = readFileSync(
      ((thread.result as Message).thread as Message).path as string,
      "utf8",
    );
    expect(rollout).toContain('"turn_aborted"');
  });
});

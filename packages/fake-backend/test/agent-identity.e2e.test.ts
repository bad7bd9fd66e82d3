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
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type FakeBackend, type FakeBackendOptions, startFakeBackend } from "../src/index.js";

let backend: FakeBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

const START = Date.UTC(2026, 3, 20, 8, 0, 0);
const ABOM = {
  agent_version: "0.1.0",
  agent_harness_id: "codex-cli",
  running_location: "cli-linux",
};

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

async function biscuit(b: FakeBackend, accessToken: string, targetUrl: string): Promise<string> {
  const res = await fetch(agentIdentityBiscuitUrl(b.chatgptBaseUrl), {
    headers: {
      authorization: `Bearer ${accessToken}`,
      "x-request-id": "codex-agent-identity-test",
      "x-original-method": "POST",
      "x-original-url": targetUrl,
    },
  });
  expect(res.status).toBe(200);
  return res.headers.get("x-openai-authorization")!;
}

function post(url: string, biscuitValue: string | undefined, body: unknown) {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(biscuitValue === undefined ? {} : { "x-openai-authorization": biscuitValue }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Runs the client side of registration with agent-identity, as login does. */
async function registerAgentAndTask(options: FakeBackendOptions = {}) {
  let now = START;
  backend = await startFakeBackend({ now: () => now, ...options });
  const b = backend;
  const { accessToken } = b.issueTokens();
  const material = generateAgentKeyMaterial();
  const registerUrl = agentRegistrationUrl(b.chatgptBaseUrl);
  const registered = await post(registerUrl, await biscuit(b, accessToken, registerUrl), {
    abom: ABOM,
    agent_public_key: material.publicKeySsh,
    capabilities: [],
  });
  expect(registered.status).toBe(200);
  const { agent_runtime_id: agentRuntimeId } = (await registered.json()) as {
    agent_runtime_id: string;
  };
  const key: AgentIdentityKey = {
    agentRuntimeId,
    privateKeyPkcs8Base64: material.privateKeyPkcs8Base64,
  };

  const taskUrl = agentTaskRegistrationUrl(b.chatgptBaseUrl, agentRuntimeId);
  const timestamp = stamp(now);
  const task = await post(taskUrl, await biscuit(b, accessToken, taskUrl), {
    signature: signTaskRegistrationPayload(key, timestamp),
    timestamp,
  });
  expect(task.status).toBe(200);
  const { encrypted_task_id } = (await task.json()) as { encrypted_task_id: string };
  const taskId = decryptTaskIdResponse(key, encrypted_task_id);
  return {
    b,
    key,
    taskId,
    accessToken,
    material,
    taskUrl,
    clock: { advance: (ms: number) => (now += ms), now: () => now },
    assertion: (taskIdOverride = taskId) =>
      authorizationHeaderForAgentTask(
        key,
        { agentRuntimeId, taskId: taskIdOverride },
        { now: () => new Date(now) },
      ),
  };
}

function responses(b: FakeBackend, authorization: string, headers: Record<string, string> = {}) {
  return fetch(`${b.chatgptBaseUrl}/codex/responses`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "m", input: [{ role: "user", content: "as an agent" }] }),
  });
}

describe("agent identity end to end", () => {
  it("registers an agent and a task, then verifies an AgentAssertion on Responses", async () => {
    const flow = await registerAgentAndTask({ require: { agentAssertion: true } });
    const { b, key, taskId } = flow;
    expect(b.state.agents.get(key.agentRuntimeId)).toMatchObject({
      publicKeySsh: flow.material.publicKeySsh,
      abom: ABOM,
      chatgptAccountId: b.account.chatgptAccountId,
    });
    expect(b.state.tasks.get(taskId)).toMatchObject({ agentRuntimeId: key.agentRuntimeId });

    const res = await responses(b, flow.assertion());
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("as an agent");
    const record = b.state.lastRequest("codex.responses")!;
    expect(record.authScheme).toBe("agent-assertion");
    expect(record.chatgptAccountId).toBeUndefined();
    expect(record.assertion).toEqual({
      verified: true,
      agentRuntimeId: key.agentRuntimeId,
      taskId,
      timestamp: stamp(flow.clock.now()),
      skewSeconds: 0,
    });
    // A Bearer is refused because the assertion is demanded.
    expect((await responses(b, `Bearer ${flow.accessToken}`)).status).toBe(401);
  });

  it("verifies the assertion on the WebSocket handshake", async () => {
    const { b, assertion, taskId } = await registerAgentAndTask();
    const ws = new WebSocket(`${b.url.replace("http", "ws")}/backend-api/codex/responses`, {
      headers: { authorization: assertion() },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const completed = new Promise<Record<string, unknown>>((resolve) => {
      ws.on("message", (data) => {
        const event = JSON.parse(data.toString()) as Record<string, unknown>;
        if (event.type === "response.completed") resolve(event);
      });
    });
    ws.send(JSON.stringify({ type: "response.create", model: "m", input: [] }));
    expect((await completed).type).toBe("response.completed");
    ws.terminate();
    expect(b.state.lastRequest("codex.responses")).toMatchObject({
      transport: "websocket",
      status: 101,
      assertion: { verified: true, taskId },
    });
  });

  it("records why an assertion fails: skew, unknown task, foreign key, unknown agent", async () => {
    const flow = await registerAgentAndTask({ maxAssertionSkewSeconds: 60 });
    const { b, key } = flow;
    const stale = flow.assertion();
    flow.clock.advance(61_000);
    const skewed = await responses(b, stale);
    expect(skewed.status).toBe(401);
    expect(skewed.headers.get("x-openai-authorization-error")).toBe("clock_skew");
    expect(
      JSON.parse(Buffer.from(skewed.headers.get("x-error-json")!, "base64").toString()),
    ).toEqual({
      error: { code: "clock_skew" },
    });
    expect(b.state.lastRequest()?.assertion).toMatchObject({
      verified: false,
      failure: "clock_skew",
      skewSeconds: 61,
    });

    expect((await responses(b, flow.assertion("task_unknown"))).status).toBe(401);
    expect(b.state.lastRequest()?.assertion?.failure).toBe("unknown_task");

    const other = generateAgentKeyMaterial();
    const forged = authorizationHeaderForAgentTask(
      { agentRuntimeId: key.agentRuntimeId, privateKeyPkcs8Base64: other.privateKeyPkcs8Base64 },
      { agentRuntimeId: key.agentRuntimeId, taskId: flow.taskId },
      { now: () => new Date(flow.clock.now()) },
    );
    expect((await responses(b, forged)).status).toBe(401);
    expect(b.state.lastRequest()?.assertion?.failure).toBe("bad_signature");

    const stranger = authorizationHeaderForAgentTask(
      { agentRuntimeId: "agent_nobody", privateKeyPkcs8Base64: other.privateKeyPkcs8Base64 },
      { agentRuntimeId: "agent_nobody", taskId: flow.taskId },
    );
    expect((await responses(b, stranger)).status).toBe(401);
    expect(b.state.lastRequest()?.assertion?.failure).toBe("unknown_agent");

    // A second registered agent signing correctly, but presenting the first agent's task.
    const second = generateAgentKeyMaterial();
    const registerUrl = agentRegistrationUrl(b.chatgptBaseUrl);
    const registered = await post(registerUrl, await biscuit(b, flow.accessToken, registerUrl), {
      abom: ABOM,
      agent_public_key: second.publicKeySsh,
    });
    const { agent_runtime_id: secondId } = (await registered.json()) as {
      agent_runtime_id: string;
    };
    const borrowed = authorizationHeaderForAgentTask(
      { agentRuntimeId: secondId, privateKeyPkcs8Base64: second.privateKeyPkcs8Base64 },
      { agentRuntimeId: secondId, taskId: flow.taskId },
      { now: () => new Date(flow.clock.now()) },
    );
    expect((await responses(b, borrowed)).status).toBe(401);
    expect(b.state.lastRequest()?.assertion).toMatchObject({
      verified: false,
      failure: "task_of_other_agent",
      agentRuntimeId: secondId,
      taskId: flow.taskId,
    });

    expect((await responses(b, "AgentAssertion not*base64url")).status).toBe(401);
    expect(b.state.lastRequest()?.assertion).toEqual({ verified: false, failure: "malformed" });
  });

  it("refuses bad task registrations: signature, skew, biscuit reuse and binding, unknown agent", async () => {
    const flow = await registerAgentAndTask({ maxAssertionSkewSeconds: 60 });
    const { b, key, accessToken, taskUrl } = flow;
    const timestamp = stamp(flow.clock.now());
    const body = { signature: signTaskRegistrationPayload(key, timestamp), timestamp };
    const code = async (res: Response) =>
      ((await res.json()) as { error: { code: string } }).error.code;

    const wrongSig = {
      signature: signTaskRegistrationPayload(key, stamp(flow.clock.now() + 1000)),
      timestamp,
    };
    expect(await code(await post(taskUrl, await biscuit(b, accessToken, taskUrl), wrongSig))).toBe(
      "invalid_signature",
    );

    const oldStamp = stamp(flow.clock.now() - 120_000);
    const old = { signature: signTaskRegistrationPayload(key, oldStamp), timestamp: oldStamp };
    expect(await code(await post(taskUrl, await biscuit(b, accessToken, taskUrl), old))).toBe(
      "timestamp_skew",
    );

    const badStamp = { signature: body.signature, timestamp: "2026-04-20 08:00:00" };
    expect(await code(await post(taskUrl, await biscuit(b, accessToken, taskUrl), badStamp))).toBe(
      "invalid_timestamp",
    );

    const once = await biscuit(b, accessToken, taskUrl);
    expect((await post(taskUrl, once, body)).status).toBe(200);
    expect(await code(await post(taskUrl, once, body))).toBe("invalid_biscuit");
    expect(await code(await post(taskUrl, undefined, body))).toBe("missing_biscuit");

    const registerUrl = agentRegistrationUrl(b.chatgptBaseUrl);
    const forRegister = await biscuit(b, accessToken, registerUrl);
    expect(await code(await post(taskUrl, forRegister, body))).toBe("biscuit_mismatch");

    const unknownUrl = agentTaskRegistrationUrl(b.chatgptBaseUrl, "agent_unknown");
    const unknown = await post(unknownUrl, await biscuit(b, accessToken, unknownUrl), body);
    expect(unknown.status).toBe(404);

    const noBearer = await fetch(agentIdentityBiscuitUrl(b.chatgptBaseUrl));
    expect(noBearer.status).toBe(401);
    const badBearer = await fetch(agentIdentityBiscuitUrl(b.chatgptBaseUrl), {
      headers: { authorization: "Bearer x" },
    });
    expect(badBearer.status).toBe(401);
  });

  it.each([
    ["invalid JSON", "{", "invalid_json"],
    ["missing abom", { agent_public_key: "ssh-ed25519 AAAA", capabilities: [] }, "invalid_abom"],
    [
      "bad public key",
      { abom: ABOM, agent_public_key: "ssh-rsa AAAA", capabilities: [] },
      "invalid_public_key",
    ],
    ["non-string public key", { abom: ABOM, agent_public_key: 5 }, "invalid_public_key"],
    [
      "capabilities not an array",
      { abom: ABOM, agent_public_key: "x", capabilities: "all" },
      "invalid_request",
    ],
  ])("refuses an agent registration with %s", async (_name, body, expected) => {
    backend = await startFakeBackend();
    const { accessToken } = backend.issueTokens();
    const url = agentRegistrationUrl(backend.chatgptBaseUrl);
    const res = await post(url, await biscuit(backend, accessToken, url), body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(expected);
    expect(backend.state.agents.size).toBe(0);
  });
});

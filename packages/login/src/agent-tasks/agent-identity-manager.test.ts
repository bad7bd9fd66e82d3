// TypeScript twins of seed 002's `core/src/agent_identity.rs` and
// `core/src/agent_identity/task_registration.rs` tests (wiremock → msw).
import {
  agentIdentityBiscuitUrl,
  agentRegistrationUrl,
  agentTaskRegistrationUrl,
  generateAgentKeyMaterial,
  sealTaskIdForPublicKey,
} from "@codex/agent-identity";
import { createHttpClient } from "@codex/http";
import { Secret } from "@codex/wire";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { captureLogger, errorText, leakedSecrets } from "../../test/e2e-capture.js";
import { makeChatgptAuth, readAuthJson } from "../../test/e2e-chatgpt-auth.js";
import { registerSecret } from "../../test/support/capture.js";
import { useMswServer } from "../../test/support/msw.js";
import { CodexAuth } from "../codex-auth.js";
import { LoginError } from "../errors.js";
import { agentIdentityBindingFromAuth } from "./agent-identity-binding.js";
import {
  AgentIdentityManager,
  agentIdentityRegistrationFailureMessage,
  agentTaskRegistrationFailureMessage,
} from "./agent-identity-manager.js";

const { server } = useMswServer();

const MOCK = "https://chatgpt.mock.test";
registerSecret("human-biscuit");

function managerFor(auth: CodexAuth, enabled: boolean, chatgptBaseUrl: string) {
  return new AgentIdentityManager({
    auth: async () => auth,
    enabled,
    chatgptBaseUrl,
    sessionSource: "cli",
    http: createHttpClient(),
  });
}

/** `mount_human_biscuit`: one expected biscuit call for `targetUrl`. */
function mountHumanBiscuit(chatgptBaseUrl: string, targetUrl: string) {
  const calls: Array<Record<string, string | null>> = [];
  server.use(
    http.get(agentIdentityBiscuitUrl(chatgptBaseUrl), ({ request }) => {
      const h = request.headers;
      calls.push({
        authorization: h.get("authorization"),
        method: h.get("x-original-method"),
        url: h.get("x-original-url"),
        requestId: h.get("x-request-id"),
      });
      if (
        h.get("authorization") !== "Bearer access-token-account-123" ||
        h.get("x-original-method") !== "POST" ||
        h.get("x-original-url") !== targetUrl
      ) {
        return new HttpResponse("unexpected biscuit request", { status: 418 });
      }
      return new HttpResponse(null, { headers: { "x-openai-authorization": "human-biscuit" } });
    }),
  );
  return calls;
}

function mountRegister(url: string, agentRuntimeId: string) {
  const bodies: unknown[] = [];
  server.use(
    http.post(url, async ({ request }) => {
      if (request.headers.get("x-openai-authorization") !== "human-biscuit") {
        return new HttpResponse("missing biscuit", { status: 401 });
      }
      bodies.push(await request.json());
      return HttpResponse.json({ agent_runtime_id: agentRuntimeId });
    }),
  );
  return bodies;
}

describe("AgentIdentityManager.ensureRegisteredIdentity (seed 002 twins)", () => {
  it("skips when the feature is disabled", async () => {
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    const manager = managerFor(auth, false, "https://chatgpt.com/backend-api/");
    expect(manager.isEnabled()).toBe(false);
    await expect(manager.ensureRegisteredIdentity()).resolves.toBeUndefined();
  });

  it("skips for API key auth", async () => {
    const manager = managerFor(
      CodexAuth.fromApiKey("test-key"),
      true,
      "https://chatgpt.com/backend-api/",
    );
    await expect(manager.ensureRegisteredIdentity()).resolves.toBeUndefined();
  });

  it("registers and reuses the cached identity", async () => {
    const biscuits = mountHumanBiscuit(MOCK, agentRegistrationUrl(MOCK));
    const bodies = mountRegister(`${MOCK}/v1/agent/register`, "agent-123");
    const { auth, home } = await makeChatgptAuth("account-123", "user-123");
    const manager = managerFor(auth, true, MOCK);
    const first = await manager.ensureRegisteredIdentity();
    const second = await manager.ensureRegisteredIdentity();
    expect(first?.agentRuntimeId).toBe("agent-123");
    expect(second).toEqual(first);
    expect(manager.abom.agentHarnessId).toBe("codex-cli");
    expect(first?.chatgptAccountId).toBe("account-123");
    expect(first?.chatgptUserId).toBe("user-123");
    expect(biscuits).toHaveLength(1);
    expect(biscuits[0]?.requestId).toMatch(/^codex-agent-identity-[A-Za-z0-9_-]{22}$/);
    expect(bodies).toEqual([
      {
        abom: {
          agent_version: manager.abom.agentVersion,
          agent_harness_id: "codex-cli",
          running_location: manager.abom.runningLocation,
        },
        agent_public_key: first?.publicKeySsh,
        capabilities: [],
      },
    ]);
    const saved = (await readAuthJson(home)).agent_identity as Record<string, unknown>;
    // upstream 0.169's record, in its order; no task yet, so no task_id
    expect(Object.entries(saved)).toEqual([
      ["agent_runtime_id", "agent-123"],
      ["agent_private_key", first?.privateKey.reveal()],
      ["account_id", "account-123"],
      ["chatgpt_user_id", "user-123"],
      ["email", ""],
      ["plan_type", "unknown"],
      ["chatgpt_account_is_fedramp", false],
    ]);
  });

  it("stores the current ChatGPT auth's email, plan and FedRAMP flag in the record", async () => {
    mountHumanBiscuit(MOCK, agentRegistrationUrl(MOCK));
    mountRegister(`${MOCK}/v1/agent/register`, "agent-123");
    const { auth, home } = await makeChatgptAuth("account-123", "user-123", undefined, {
      email: "ana@example.com",
      planType: "enterprise",
      fedramp: true,
    });
    const identity = await managerFor(auth, true, MOCK).ensureRegisteredIdentity();
    expect(identity).toMatchObject({
      email: "ana@example.com",
      planType: "enterprise",
      chatgptAccountIsFedramp: true,
    });
    expect((await readAuthJson(home)).agent_identity).toMatchObject({
      account_id: "account-123",
      email: "ana@example.com",
      plan_type: "enterprise",
      chatgpt_account_is_fedramp: true,
    });
  });

  it("deletes an invalid cached identity and re-registers", async () => {
    mountHumanBiscuit(MOCK, agentRegistrationUrl(MOCK));
    mountRegister(`${MOCK}/v1/agent/register`, "agent-456");
    const { auth, home } = await makeChatgptAuth("account-123", "user-123");
    const manager = managerFor(auth, true, MOCK);
    const binding = agentIdentityBindingFromAuth(auth);
    await auth.setAgentIdentity({
      accountId: "account-123",
      chatgptUserId: "user-123",
      agentRuntimeId: "agent_invalid",
      agentPrivateKey: new Secret("not-valid-base64"),
      planType: "plus",
      chatgptAccountIsFedramp: false,
    });
    const stored = await manager.ensureRegisteredIdentity();
    expect(stored?.agentRuntimeId).toBe("agent-456");
    expect(auth.getAgentIdentity(binding?.chatgptAccountId ?? "")?.agentRuntimeId).toBe(
      "agent-456",
    );
    expect((await readAuthJson(home)).agent_identity).toMatchObject({
      agent_runtime_id: "agent-456",
    });
  });

  it("deletes a different user's identity and re-registers", async () => {
    mountHumanBiscuit(MOCK, agentRegistrationUrl(MOCK));
    mountRegister(`${MOCK}/v1/agent/register`, "agent_new");
    const { auth } = await makeChatgptAuth("account-123", "user-new");
    const stale = generateAgentKeyMaterial();
    await auth.setAgentIdentity({
      accountId: "account-123",
      chatgptUserId: "user-old",
      agentRuntimeId: "agent_old",
      agentPrivateKey: stale.privateKeyPkcs8Base64,
      planType: "plus",
      chatgptAccountIsFedramp: false,
    });
    const manager = managerFor(auth, true, MOCK);
    const stored = await manager.ensureRegisteredIdentity();
    expect(stored?.agentRuntimeId).toBe("agent_new");
    expect(stored?.chatgptUserId).toBe("user-new");
    const persisted = auth.getAgentIdentity("account-123");
    expect(persisted?.agentRuntimeId).toBe("agent_new");
    expect(persisted?.chatgptUserId).toBe("user-new");
  });

  it("deletes another workspace's identity and re-registers for the current one", async () => {
    mountHumanBiscuit(MOCK, agentRegistrationUrl(MOCK));
    mountRegister(`${MOCK}/v1/agent/register`, "agent-ws");
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    await auth.setAgentIdentity({
      accountId: "account-999",
      chatgptUserId: "",
      agentRuntimeId: "agent_other_ws",
      agentPrivateKey: generateAgentKeyMaterial().privateKeyPkcs8Base64,
      planType: "plus",
      chatgptAccountIsFedramp: false,
    });
    const stored = await managerFor(auth, true, MOCK).ensureRegisteredIdentity();
    expect(stored?.agentRuntimeId).toBe("agent-ws");
    expect(auth.getCurrentAuthJson()?.agentIdentity?.accountId).toBe("account-123");
  });

  it("uses the chatgpt base url", async () => {
    const base = `${MOCK}/backend-api`;
    mountHumanBiscuit(base, agentRegistrationUrl(base));
    mountRegister(`${MOCK}/backend-api/v1/agent/register`, "agent_canonical");
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    const stored = await managerFor(auth, true, base).ensureRegisteredIdentity();
    expect(stored?.agentRuntimeId).toBe("agent_canonical");
  });

  it("binds to the forced workspace id over the token's account", async () => {
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    const manager = new AgentIdentityManager({
      auth: async () => auth,
      forcedWorkspaceId: () => "ws-forced",
      enabled: true,
      chatgptBaseUrl: MOCK,
    });
    const current = await manager.currentAuthBinding();
    expect(current?.binding.bindingId).toBe("chatgpt-account-ws-forced");
  });

  it("runs one registration for concurrent callers", async () => {
    const biscuits = mountHumanBiscuit(MOCK, agentRegistrationUrl(MOCK));
    const bodies = mountRegister(`${MOCK}/v1/agent/register`, "agent-once");
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    const manager = managerFor(auth, true, MOCK);
    const all = await Promise.all(
      Array.from({ length: 20 }, () => manager.ensureRegisteredIdentity()),
    );
    expect(new Set(all.map((i) => i?.agentRuntimeId))).toEqual(new Set(["agent-once"]));
    expect(biscuits).toHaveLength(1);
    expect(bodies).toHaveLength(1);
  });

  it.each([
    [
      "biscuit 403",
      () => mountFailingBiscuit(403, "forbidden access_token=abcdef123"),
      `agent identity biscuit minting failed with status 403 from ${MOCK}/authenticate_app_v2: forbidden access_token=[REDACTED]`,
      403,
    ],
    [
      "biscuit without header",
      () => server.use(http.get(`${MOCK}/authenticate_app_v2`, () => new HttpResponse(null))),
      "agent identity biscuit response did not include x-openai-authorization",
      200,
    ],
    [
      "register 500",
      () => {
        mountHumanBiscuit(MOCK, agentRegistrationUrl(MOCK));
        server.use(
          http.post(`${MOCK}/v1/agent/register`, () => new HttpResponse("boom", { status: 500 })),
        );
      },
      `agent identity registration failed with status 500 from ${MOCK}/v1/agent/register: boom`,
      500,
    ],
    [
      "register HTML",
      () => {
        mountHumanBiscuit(MOCK, agentRegistrationUrl(MOCK));
        server.use(http.post(`${MOCK}/v1/agent/register`, () => new HttpResponse("<html>")));
      },
      `failed to parse agent identity response from ${MOCK}/v1/agent/register`,
      200,
    ],
    [
      "register without id",
      () => {
        mountHumanBiscuit(MOCK, agentRegistrationUrl(MOCK));
        server.use(http.post(`${MOCK}/v1/agent/register`, () => HttpResponse.json({})));
      },
      `agent identity response from ${MOCK}/v1/agent/register lacks agent_runtime_id`,
      200,
    ],
    [
      "network failure",
      () => server.use(http.get(`${MOCK}/authenticate_app_v2`, () => HttpResponse.error())),
      `failed to send agent identity biscuit request to ${MOCK}/authenticate_app_v2 (network)`,
      undefined,
    ],
  ])("fails with status and URL, never a token: %s", async (_n, mount, message, status) => {
    mount();
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    const err = await managerFor(auth, true, MOCK)
      .ensureRegisteredIdentity()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoginError);
    expect(err).toMatchObject({ code: "agent_identity_failed", message, status });
    expect(
      leakedSecrets(errorText(err), ["access-token-account-123", "human-biscuit", "abcdef123"]),
    ).toEqual([]);
    expect(auth.getCurrentAuthJson()?.agentIdentity).toBeUndefined();
  });
});

function mountFailingBiscuit(status: number, body: string) {
  server.use(http.get(`${MOCK}/authenticate_app_v2`, () => new HttpResponse(body, { status })));
}

/** `seed_stored_identity`: a generated identity stored for the auth. */
async function seedStoredIdentity(auth: CodexAuth, agentRuntimeId: string, accountId: string) {
  const keys = generateAgentKeyMaterial();
  registerSecret(keys.privateKeyPkcs8Base64.reveal());
  await auth.setAgentIdentity({
    accountId: accountId,
    chatgptUserId: "user-123",
    agentRuntimeId,
    agentPrivateKey: keys.privateKeyPkcs8Base64,
    planType: "plus",
    chatgptAccountIsFedramp: false,
  });
  expect(auth.getAgentIdentity(accountId)?.agentRuntimeId).toBe(agentRuntimeId);
  return keys;
}

function mountTaskRegister(url: string, encryptedTaskId: string) {
  const bodies: Array<Record<string, string>> = [];
  server.use(
    http.post(url, async ({ request }) => {
      if (request.headers.get("x-openai-authorization") !== "human-biscuit") {
        return new HttpResponse("missing biscuit", { status: 401 });
      }
      bodies.push((await request.json()) as Record<string, string>);
      return HttpResponse.json({ encrypted_task_id: encryptedTaskId });
    }),
  );
  return bodies;
}

describe("AgentIdentityManager.registerTask (seed 002 twins)", () => {
  it("skips when the feature is disabled", async () => {
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    await expect(
      managerFor(auth, false, "https://chatgpt.com/backend-api/").registerTask(),
    ).resolves.toBeUndefined();
  });

  it("skips for API key auth", async () => {
    const manager = managerFor(
      CodexAuth.fromApiKey("test-key"),
      true,
      "https://chatgpt.com/backend-api/",
    );
    await expect(manager.registerTask()).resolves.toBeUndefined();
  });

  it("registers and decrypts the sealed task id, and persists it as the record's task_id", async () => {
    const { auth, home } = await makeChatgptAuth("account-123", "user-123");
    const keys = await seedStoredIdentity(auth, "agent-123", "account-123");
    mountHumanBiscuit(MOCK, agentTaskRegistrationUrl(MOCK, "agent-123"));
    const bodies = mountTaskRegister(
      `${MOCK}/v1/agent/agent-123/task/register`,
      sealTaskIdForPublicKey(keys.publicKeySsh, "task_123"),
    );
    const now = new Date("2026-04-20T08:15:02.987Z");
    const manager = new AgentIdentityManager({
      auth: async () => auth,
      enabled: true,
      chatgptBaseUrl: MOCK,
      now: () => now,
    });
    const task = await manager.registerTask();
    expect(task).toEqual({
      agentRuntimeId: "agent-123",
      taskId: "task_123",
      registeredAt: "2026-04-20T08:15:02Z",
    });
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.timestamp).toBe("2026-04-20T08:15:02Z");
    expect(bodies[0]?.signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    const saved = (await readAuthJson(home)).agent_identity as Record<string, unknown>;
    expect(saved).toMatchObject({ agent_runtime_id: "agent-123", task_id: "task_123" });
    expect(Object.keys(saved)).not.toContain("background_task_id");
    // A stored task is reused without another registration (0.169's record has no time for it).
    await expect(manager.ensureBackgroundTask()).resolves.toEqual({
      agentRuntimeId: "agent-123",
      taskId: "task_123",
      registeredAt: undefined,
    });
  });

  it("uses the chatgpt base url", async () => {
    const base = `${MOCK}/backend-api`;
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    const keys = await seedStoredIdentity(auth, "agent-fallback", "account-123");
    mountHumanBiscuit(base, agentTaskRegistrationUrl(base, "agent-fallback"));
    mountTaskRegister(
      `${MOCK}/backend-api/v1/agent/agent-fallback/task/register`,
      sealTaskIdForPublicKey(keys.publicKeySsh, "task_fallback"),
    );
    const task = await managerFor(auth, true, base).registerTask();
    expect(task?.agentRuntimeId).toBe("agent-fallback");
    expect(task?.taskId).toBe("task_fallback");
  });

  it("keeps one auth snapshot", async () => {
    const { auth: bindingAuth } = await makeChatgptAuth("account-123", "user-123");
    const { auth: managerAuth } = await makeChatgptAuth("account-456", "user-456");
    const keys = await seedStoredIdentity(bindingAuth, "agent-123", "account-123");
    mountHumanBiscuit(MOCK, agentTaskRegistrationUrl(MOCK, "agent-123"));
    mountTaskRegister(
      `${MOCK}/v1/agent/agent-123/task/register`,
      sealTaskIdForPublicKey(keys.publicKeySsh, "task_123"),
    );
    const manager = managerFor(managerAuth, true, MOCK);
    const binding = agentIdentityBindingFromAuth(bindingAuth);
    if (binding === undefined) throw new Error("binding");
    const task = await manager.registerTaskFor(bindingAuth, binding);
    expect(task).toMatchObject({ agentRuntimeId: "agent-123", taskId: "task_123" });
    expect(bindingAuth.getAgentIdentity("account-123")?.taskId).toBe("task_123");
    expect(managerAuth.getCurrentAuthJson()?.agentIdentity).toBeUndefined();
  });

  it("task_matches_current_identity rejects a stale registered identity", async () => {
    const { auth } = await makeChatgptAuth("account-456", "user-456");
    const manager = managerFor(auth, true, "https://chatgpt.com/backend-api/");
    await expect(
      manager.taskMatchesCurrentIdentity({
        agentRuntimeId: "agent-123",
        taskId: "task_123",
        registeredAt: "2026-03-23T12:00:00Z",
      }),
    ).resolves.toBe(false);
  });

  it("task_matches_current_identity accepts the current identity's task", async () => {
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    await seedStoredIdentity(auth, "agent-123", "account-123");
    const manager = managerFor(auth, true, MOCK);
    const task = { agentRuntimeId: "agent-123", taskId: "t", registeredAt: "x" };
    await expect(manager.taskMatchesCurrentIdentity(task)).resolves.toBe(true);
    await expect(managerFor(auth, false, MOCK).taskMatchesCurrentIdentity(task)).resolves.toBe(
      false,
    );
  });

  it.each([
    [
      "a 500",
      () => new HttpResponse("nope", { status: 500 }),
      "agent task registration failed with status 500 from https://chatgpt.mock.test/v1/agent/agent-123/task/register: nope",
    ],
    [
      "garbage ciphertext",
      () => HttpResponse.json({ encrypted_task_id: "AAAA" }),
      "failed to decrypt the agent task id returned by https://chatgpt.mock.test/v1/agent/agent-123/task/register",
    ],
    [
      "no ciphertext",
      () => HttpResponse.json({}),
      "agent task response from https://chatgpt.mock.test/v1/agent/agent-123/task/register lacks encrypted_task_id",
    ],
  ])("fails on %s without storing a task", async (_n, reply, message) => {
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    await seedStoredIdentity(auth, "agent-123", "account-123");
    mountHumanBiscuit(MOCK, agentTaskRegistrationUrl(MOCK, "agent-123"));
    server.use(http.post(`${MOCK}/v1/agent/agent-123/task/register`, reply));
    const err = await managerFor(auth, true, MOCK)
      .registerTask()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoginError);
    expect(err).toMatchObject({ code: "agent_identity_failed", message });
    expect(auth.getAgentIdentity("account-123")?.taskId).toBeUndefined();
  });

  it("logs nothing secret while registering identity and task", async () => {
    const log = captureLogger();
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    mountHumanBiscuit(MOCK, agentRegistrationUrl(MOCK));
    mountRegister(`${MOCK}/v1/agent/register`, "agent-log");
    const manager = new AgentIdentityManager({
      auth: async () => auth,
      enabled: true,
      chatgptBaseUrl: MOCK,
      logger: log.logger,
      http: createHttpClient({ logger: log.logger }),
    });
    const identity = await manager.ensureRegisteredIdentity();
    const key = registerSecret(identity?.privateKey.reveal() ?? "missing");
    expect(leakedSecrets(log.text(), ["access-token-account-123", "human-biscuit", key])).toEqual(
      [],
    );
    expect(log.text()).toContain("registered agent identity");
  });
});

describe("AgentIdentityManager options", () => {
  it.each([
    [{ auth: undefined, enabled: true, chatgptBaseUrl: MOCK }],
    [{ auth: async () => undefined, enabled: true, chatgptBaseUrl: " " }],
  ])("rejects bad options %#", (options) => {
    expect(
      () =>
        new AgentIdentityManager(
          options as unknown as ConstructorParameters<typeof AgentIdentityManager>[0],
        ),
    ).toThrow(LoginError);
  });
  it("skips without auth", async () => {
    const manager = new AgentIdentityManager({
      auth: async () => undefined,
      enabled: true,
      chatgptBaseUrl: MOCK,
    });
    await expect(manager.ensureRegisteredIdentity()).resolves.toBeUndefined();
    await expect(manager.registerTask()).resolves.toBeUndefined();
    await expect(manager.ensureBackgroundTask()).resolves.toBeUndefined();
  });
});

describe("startup prewarm and failure messages (seed 002 core session twins)", () => {
  it("startup agent task prewarm caches the registered task", async () => {
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    const keys = await seedStoredIdentity(auth, "agent-123", "account-123");
    const biscuits = mountHumanBiscuit(MOCK, agentTaskRegistrationUrl(MOCK, "agent-123"));
    mountTaskRegister(
      `${MOCK}/v1/agent/agent-123/task/register`,
      sealTaskIdForPublicKey(keys.publicKeySsh, "task_123"),
    );
    const manager = managerFor(auth, true, MOCK);
    const task = await manager.prewarmBackgroundTask();
    expect(task).toMatchObject({ agentRuntimeId: "agent-123", taskId: "task_123" });
    expect(auth.getAgentIdentity("account-123")?.taskId).toBe("task_123");
    expect(biscuits).toHaveLength(1);
  });

  it("startup agent task prewarm failure does not raise", async () => {
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    await seedStoredIdentity(auth, "agent-123", "account-123");
    mountHumanBiscuit(MOCK, agentTaskRegistrationUrl(MOCK, "agent-123"));
    server.use(
      http.post(
        `${MOCK}/v1/agent/agent-123/task/register`,
        () => new HttpResponse(null, { status: 500 }),
      ),
    );
    const log = captureLogger();
    const manager = new AgentIdentityManager({
      auth: async () => auth,
      enabled: true,
      chatgptBaseUrl: MOCK,
      logger: log.logger,
    });
    await expect(manager.prewarmBackgroundTask()).resolves.toBeUndefined();
    expect(auth.getAgentIdentity("account-123")?.taskId).toBeUndefined();
    expect(log.lines.filter((l) => l.startsWith("error") || l.startsWith("warn"))).toEqual([]);
  });

  it("formats the registration failure events like upstream", () => {
    expect(agentIdentityRegistrationFailureMessage(new Error("registration exploded"))).toBe(
      "Agent identity registration failed while `features.use_agent_identity` is enabled: registration exploded",
    );
    expect(agentTaskRegistrationFailureMessage(new Error("boom"))).toBe(
      "Agent task registration failed. Please try again; Codex will attempt to register the task again on the next turn: boom",
    );
  });
});

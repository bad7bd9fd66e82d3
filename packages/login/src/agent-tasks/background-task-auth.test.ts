import {
  generateAgentKeyMaterial,
  publicKeySshFromPrivateKeyPkcs8Base64,
  verifyAgentAssertion,
} from "@codex/agent-identity";
import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { captureLogger, leakedSecrets } from "../../test/e2e-capture.js";
import { makeChatgptAuth, readAuthJson } from "../../test/e2e-chatgpt-auth.js";
import { registerSecret } from "../../test/support/capture.js";
import { readFixture } from "../../test/support/tmp.js";
import { parseAuthDotJson } from "../auth-dot-json.js";
import { CodexAuth } from "../codex-auth.js";
import { LoginError } from "../errors.js";
import {
  backgroundTaskAuthAllowedFor,
  cachedBackgroundAgentTaskAuthorizationHeaderValue,
  chatgptAuthorizationHeader,
  chatgptAuthorizationHeaderForAuth,
  chatgptRequestAuthHeaders,
  isAgentAssertionAuthorization,
} from "./background-task-auth.js";

const BASE = "https://chatgpt.com/backend-api";
const NOW = new Date("2026-04-20T08:15:00Z");

async function authWithTask(
  options: { taskId?: string; userId?: string; workspace?: string } = {},
) {
  const made = await makeChatgptAuth("account-123", "user-123");
  const keys = generateAgentKeyMaterial();
  registerSecret(keys.privateKeyPkcs8Base64.reveal());
  await made.auth.setAgentIdentity({
    accountId: options.workspace ?? "account-123",
    chatgptUserId: options.userId ?? "user-123",
    agentRuntimeId: "agent-123",
    agentPrivateKey: keys.privateKeyPkcs8Base64,
    planType: "plus",
    chatgptAccountIsFedramp: false,
    taskId: options.taskId,
  });
  return { ...made, keys };
}

describe("chatgptAuthorizationHeaderForAuth", () => {
  it("returns a verifiable AgentAssertion when enabled, allowed and a task id is stored", async () => {
    const { auth, keys } = await authWithTask({ taskId: "task-5" });
    const value = await chatgptAuthorizationHeaderForAuth(auth, {
      mode: "enabled",
      chatgptBaseUrl: "https://chatgpt.com",
      now: () => NOW,
    });
    expect(isAgentAssertionAuthorization(value)).toBe(true);
    const verified = verifyAgentAssertion(value ?? "", keys.publicKeySsh, { now: NOW });
    expect(verified).toEqual({
      agentRuntimeId: "agent-123",
      taskId: "task-5",
      timestamp: "2026-04-20T08:15:00Z",
    });
  });

  it.each([
    ["mode disabled", { mode: "disabled" as const, chatgptBaseUrl: BASE }],
    ["mode absent", { chatgptBaseUrl: BASE }],
    ["unsupported host", { mode: "enabled" as const, chatgptBaseUrl: "https://example.com/api" }],
    [
      "loopback without allowlist",
      { mode: "enabled" as const, chatgptBaseUrl: "http://127.0.0.1:9/backend-api" },
    ],
  ])("falls back to Bearer: %s", async (_n, options) => {
    const { auth } = await authWithTask({ taskId: "task-5" });
    await expect(chatgptAuthorizationHeaderForAuth(auth, options)).resolves.toBe(
      "Bearer access-token-account-123",
    );
  });

  it("uses the assertion on a loopback backend added to the allowlist", async () => {
    const { auth } = await authWithTask({ taskId: "task-lo" });
    const value = await chatgptAuthorizationHeaderForAuth(auth, {
      mode: "enabled",
      chatgptBaseUrl: "http://127.0.0.1:4321/backend-api",
      extraAllowedHosts: ["127.0.0.1"],
    });
    expect(value?.startsWith("AgentAssertion ")).toBe(true);
  });

  it("is Bearer without a configured base URL and undefined for API keys", async () => {
    const { auth } = await authWithTask({ taskId: "t" });
    await expect(chatgptAuthorizationHeaderForAuth(auth, { mode: "enabled" })).resolves.toBe(
      "Bearer access-token-account-123",
    );
    await expect(
      chatgptAuthorizationHeaderForAuth(CodexAuth.fromApiKey("sk-test-123456"), {
        mode: "enabled",
        chatgptBaseUrl: BASE,
      }),
    ).resolves.toBeUndefined();
    await expect(chatgptAuthorizationHeaderForAuth(undefined)).resolves.toBeUndefined();
  });

  it.each([[{}], ["auth"], [null]])("rejects a non-CodexAuth (%#)", async (bad) => {
    await expect(
      chatgptAuthorizationHeaderForAuth(bad as unknown as CodexAuth, { chatgptBaseUrl: BASE }),
    ).rejects.toMatchObject({ code: "invalid_argument" });
  });

  it("is Bearer when the stored identity has no background task id", async () => {
    const { auth } = await authWithTask();
    await expect(
      chatgptAuthorizationHeaderForAuth(auth, { mode: "enabled", chatgptBaseUrl: BASE }),
    ).resolves.toBe("Bearer access-token-account-123");
    expect(auth.getAgentIdentity("account-123")).toBeDefined();
  });

  it("deletes a record of another user and falls back to Bearer", async () => {
    const { auth, home } = await authWithTask({ taskId: "t", userId: "user-old" });
    const log = captureLogger();
    await expect(
      chatgptAuthorizationHeaderForAuth(auth, {
        mode: "enabled",
        chatgptBaseUrl: BASE,
        logger: log.logger,
      }),
    ).resolves.toBe("Bearer access-token-account-123");
    expect((await readAuthJson(home)).agent_identity).toBeUndefined();
    expect(log.text()).toContain("binding no longer matches current auth");
  });

  it("deletes a record whose key does not decode", async () => {
    const { auth, home } = await makeChatgptAuth("account-123", "user-123");
    await auth.setAgentIdentity({
      accountId: "account-123",
      chatgptUserId: "",
      agentRuntimeId: "agent-x",
      agentPrivateKey: new Secret("bm90IGEga2V5"),
      planType: "plus",
      chatgptAccountIsFedramp: false,
      taskId: "t",
    });
    await expect(
      chatgptAuthorizationHeaderForAuth(auth, { mode: "enabled", chatgptBaseUrl: BASE }),
    ).resolves.toBe("Bearer access-token-account-123");
    expect((await readAuthJson(home)).agent_identity).toBeUndefined();
  });

  it("binds to the forced workspace: a record of the token's account is stale", async () => {
    const { auth, home } = await authWithTask({ taskId: "t" });
    await expect(
      chatgptAuthorizationHeaderForAuth(auth, {
        mode: "enabled",
        chatgptBaseUrl: BASE,
        forcedWorkspaceId: "ws-forced",
      }),
    ).resolves.toBe("Bearer access-token-account-123");
    expect((await readAuthJson(home)).agent_identity).toBeUndefined();
  });

  it("falls back to Bearer (logged, no secret) when deleting a stale record fails", async () => {
    const { auth } = await authWithTask({ taskId: "t", userId: "user-old" });
    const broken = CodexAuth.fromAuthDotJson(auth.getCurrentAuthJson()!, {
      mode: "file",
      load: async () => undefined,
      save: async () => {
        throw new LoginError("auth_write_failed", "cannot write auth.json");
      },
      delete: async () => false,
    });
    const log = captureLogger();
    await expect(
      chatgptAuthorizationHeaderForAuth(broken, {
        mode: "enabled",
        chatgptBaseUrl: BASE,
        logger: log.logger,
      }),
    ).resolves.toBe("Bearer access-token-account-123");
    expect(log.text()).toContain("falling back to bearer auth");
    expect(leakedSecrets(log.text(), ["access-token-account-123"])).toEqual([]);
  });
});

describe("cachedBackgroundAgentTaskAuthorizationHeaderValue", () => {
  it("signs without deleting anything, and ignores mismatching records", async () => {
    const { auth, home } = await authWithTask({ taskId: "t", userId: "user-old" });
    expect(
      cachedBackgroundAgentTaskAuthorizationHeaderValue(auth, {
        mode: "enabled",
        chatgptBaseUrl: BASE,
      }),
    ).toBeUndefined();
    expect((await readAuthJson(home)).agent_identity).toBeDefined();
    const ok = await authWithTask({ taskId: "t2" });
    expect(
      cachedBackgroundAgentTaskAuthorizationHeaderValue(ok.auth, {
        mode: "enabled",
        chatgptBaseUrl: BASE,
      })?.startsWith("AgentAssertion "),
    ).toBe(true);
    expect(
      cachedBackgroundAgentTaskAuthorizationHeaderValue(ok.auth, { chatgptBaseUrl: BASE }),
    ).toBeUndefined();
  });

  it("throws a typed error for an undecodable key", async () => {
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    await auth.setAgentIdentity({
      accountId: "account-123",
      chatgptUserId: "",
      agentRuntimeId: "a",
      agentPrivateKey: new Secret("!!"),
      planType: "plus",
      chatgptAccountIsFedramp: false,
      taskId: "t",
    });
    expect(() =>
      cachedBackgroundAgentTaskAuthorizationHeaderValue(auth, {
        mode: "enabled",
        chatgptBaseUrl: BASE,
      }),
    ).toThrow(LoginError);
  });
});

describe("backgroundTaskAuthAllowedFor / isAgentAssertionAuthorization", () => {
  it.each([
    ["https://chatgpt.com/backend-api", [], true],
    ["https://foo.chatgpt.com/backend-api", [], true],
    ["https://chatgpt-staging.com/backend-api", [], true],
    ["https://evilchatgpt.com/backend-api", [], false],
    ["http://127.0.0.1:8080/backend-api", ["127.0.0.1"], true],
    ["http://[::1]:8080/backend-api", ["::1"], true],
    ["http://localhost:8080/backend-api", ["127.0.0.1"], false],
    ["not a url", ["127.0.0.1"], false],
  ] as const)("%s with %j → %s", (url, extra, allowed) => {
    expect(backgroundTaskAuthAllowedFor(url, extra)).toBe(allowed);
  });
  it("recognizes the scheme", () => {
    expect(isAgentAssertionAuthorization("AgentAssertion abc")).toBe(true);
    expect(isAgentAssertionAuthorization("Bearer abc")).toBe(false);
    expect(isAgentAssertionAuthorization(undefined)).toBe(false);
  });
});

describe("chatgptAuthorizationHeader / chatgptRequestAuthHeaders", () => {
  it("uses the manager's auth and forced workspace", async () => {
    const { auth } = await authWithTask({ taskId: "t" });
    const source = { auth: async () => auth, forcedChatgptWorkspaceId: undefined };
    const value = await chatgptAuthorizationHeader(source, {
      mode: "enabled",
      chatgptBaseUrl: BASE,
    });
    expect(value?.startsWith("AgentAssertion ")).toBe(true);
    const forced = { auth: async () => auth, forcedChatgptWorkspaceId: "ws-x" };
    await expect(
      chatgptAuthorizationHeader(forced, { mode: "enabled", chatgptBaseUrl: BASE }),
    ).resolves.toBe("Bearer access-token-account-123");
  });

  it("omits chatgpt-account-id with an AgentAssertion and keeps it with Bearer", async () => {
    const { auth } = await authWithTask({ taskId: "t" });
    const assertion = await chatgptRequestAuthHeaders(auth, {
      mode: "enabled",
      chatgptBaseUrl: BASE,
    });
    expect(Object.keys(assertion)).toEqual(["authorization"]);
    const bearer = await chatgptRequestAuthHeaders(auth, { chatgptBaseUrl: BASE });
    expect(bearer).toEqual({
      authorization: "Bearer access-token-account-123",
      "chatgpt-account-id": "account-123",
    });
    await expect(chatgptRequestAuthHeaders(undefined)).resolves.toEqual({});
  });
});

describe("AgentAssertion header (seed 002 login/src/auth/agent_assertion.rs twins)", () => {
  // Upstream's fixture: SigningKey::from_bytes(&[7u8; 32]) as PKCS#8 DER, base64.
  const pkcs8 = Buffer.concat([
    Buffer.from("302e020100300506032b657004220420", "hex"),
    Buffer.alloc(32, 7),
  ]).toString("base64");

  it("serializes a signed agent assertion", async () => {
    const { auth } = await makeChatgptAuth("account-123", "user-123");
    await auth.setAgentIdentity({
      accountId: "account-123",
      chatgptUserId: "user-123",
      agentRuntimeId: "agent-123",
      agentPrivateKey: new Secret(pkcs8),
      planType: "plus",
      chatgptAccountIsFedramp: false,
      taskId: "task-123",
    });
    const header = await chatgptAuthorizationHeaderForAuth(auth, {
      mode: "enabled",
      chatgptBaseUrl: BASE,
      now: () => NOW,
    });
    const token = header?.replace(/^AgentAssertion /, "") ?? "";
    const envelope = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    expect(Object.keys(envelope)).toEqual([
      "agent_runtime_id",
      "signature",
      "task_id",
      "timestamp",
    ]);
    expect(envelope).toMatchObject({
      agent_runtime_id: "agent-123",
      task_id: "task-123",
      timestamp: "2026-04-20T08:15:00Z",
    });
    const { createPrivateKey, createPublicKey, verify } = await import("node:crypto");
    const publicKey = createPublicKey(
      createPrivateKey({ key: Buffer.from(pkcs8, "base64"), format: "der", type: "pkcs8" }),
    );
    const payload = Buffer.from(`agent-123:task-123:${envelope.timestamp}`);
    expect(verify(null, payload, publicKey, Buffer.from(envelope.signature, "base64"))).toBe(true);
  });

  it("rejects a mismatched runtime", async () => {
    const { authorizationHeaderForAgentTask } = await import("@codex/agent-identity");
    expect(() =>
      authorizationHeaderForAgentTask(
        { agentRuntimeId: "agent-123", privateKeyPkcs8Base64: new Secret(pkcs8) },
        { agentRuntimeId: "agent-456", taskId: "task-123" },
      ),
    ).toThrow("agent task runtime agent-456 does not match stored agent identity agent-123");
  });
});

describe("auth_mode agentIdentity (upstream 0.169): the record is the credential", () => {
  it("signs an AgentAssertion with the record's key and task, whatever the mode and base URL", async () => {
    const text = readFixture("auth-0169-agent-identity-mode.json");
    const auth = CodexAuth.fromAuthDotJson(parseAuthDotJson(text), undefined);
    const value = await chatgptAuthorizationHeaderForAuth(auth, { now: () => NOW });
    const publicKey = publicKeySshFromPrivateKeyPkcs8Base64(
      new Secret(JSON.parse(text).agent_identity.agent_private_key),
    );
    expect(verifyAgentAssertion(value ?? "", publicKey, { now: NOW })).toEqual({
      agentRuntimeId: "agent-77",
      taskId: "task-5",
      timestamp: "2026-04-20T08:15:00Z",
    });
    expect(await chatgptRequestAuthHeaders(auth, { now: () => NOW })).toEqual({
      authorization: value,
    });
  });

  it("has no authorization without a task, or when the key cannot sign (logged, never the key)", async () => {
    const raw = JSON.parse(readFixture("auth-0169-agent-identity-mode.json"));
    delete raw.agent_identity.task_id;
    const noTask = CodexAuth.fromAuthDotJson(parseAuthDotJson(JSON.stringify(raw)), undefined);
    expect(await chatgptAuthorizationHeaderForAuth(noTask)).toBeUndefined();
    raw.agent_identity.task_id = "task-5";
    raw.agent_identity.agent_private_key = registerSecret("bm90LWEta2V5LVNFQ1JFVA==");
    const log = captureLogger();
    const badKey = CodexAuth.fromAuthDotJson(parseAuthDotJson(JSON.stringify(raw)), undefined);
    expect(await chatgptAuthorizationHeaderForAuth(badKey, { logger: log.logger })).toBeUndefined();
    expect(log.text()).toContain("cannot sign");
    expect(leakedSecrets(log.text(), ["bm90LWEta2V5LVNFQ1JFVA=="])).toEqual([]);
  });
});

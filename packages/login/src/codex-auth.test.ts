import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { expectLoginError, registerSecret } from "../test/support/capture.js";
import { makeCodexHome, readFixture } from "../test/support/tmp.js";
import { type AgentIdentityRecord, parseAuthDotJson } from "./auth-dot-json.js";
import { CodexAuth } from "./codex-auth.js";
import { tryLockFile } from "./internal/flock.js";
import type { AuthStorage } from "./storage/auth-storage.js";
import { createAuthStorage } from "./storage/create-auth-storage.js";
import { FileAuthStorage } from "./storage/file-auth-storage.js";
import { ChatGptAuthFixture } from "./testing/index.js";

const ACCESS = registerSecret("access-SECRET-codexauth");
const REFRESH = registerSecret("refresh-SECRET-codexauth");
const PRIVATE_KEY = registerSecret("MC4CAQAwBQYDK2VwBCIEIcodexauthSECRETkey");

function identity(extra: Partial<AgentIdentityRecord> = {}): AgentIdentityRecord {
  return {
    accountId: "ws-1",
    chatgptUserId: "user-1",
    agentRuntimeId: "agent-1",
    agentPrivateKey: new Secret(PRIVATE_KEY),
    planType: "plus",
    chatgptAccountIsFedramp: false,
    ...extra,
  };
}

describe("CodexAuth", () => {
  it("exposes a managed ChatGPT login's token, account, claims and plan", () => {
    const auth = CodexAuth.fromAuthDotJson(
      new ChatGptAuthFixture(ACCESS)
        .refreshToken(REFRESH)
        .accountId("ws-1")
        .chatgptAccountId("ws-claim")
        .email("a@example.com")
        .planType("business")
        .chatgptUserId("user-1")
        .fedramp(true)
        .build(),
      undefined,
    );
    expect(auth.apiAuthMode).toBe("chatgpt");
    expect(auth.authMode).toBe("chatgpt");
    expect(auth.isChatgptAuth()).toBe(true);
    expect(auth.getToken().reveal()).toBe(ACCESS);
    expect(auth.getTokenData().refreshToken.reveal()).toBe(REFRESH);
    expect(auth.getAccountId()).toBe("ws-1");
    expect(auth.getChatgptAccountIdClaim()).toBe("ws-claim");
    expect(auth.getAccountEmail()).toBe("a@example.com");
    expect(auth.getChatgptUserId()).toBe("user-1");
    expect(auth.accountPlanType()).toEqual({ known: "business" });
    expect(auth.isFedrampAccount()).toBe(true);
  });

  it("never prints secrets through inspect, JSON or string forms", () => {
    const auth = CodexAuth.fromAuthDotJson(
      new ChatGptAuthFixture(ACCESS).refreshToken(REFRESH).agentIdentity(identity()).build(),
      undefined,
    );
    const printed = [inspect(auth, { depth: 10 }), JSON.stringify(auth), String(auth)].join("\n");
    for (const s of [ACCESS, REFRESH, PRIVATE_KEY]) expect(printed).not.toContain(s);
  });

  it("API keys: token is the key, no token data, no plan, folded modes", async () => {
    const key = registerSecret("sk-codexauth-SECRET");
    const auth = CodexAuth.fromAuthDotJson(
      { authMode: "apikey", openaiApiKey: new Secret(key) },
      undefined,
    );
    expect(auth.getToken().reveal()).toBe(key);
    expect(auth.accountPlanType()).toBeUndefined();
    await expectLoginError(() => auth.getTokenData(), "token_data_unavailable");
    expect(CodexAuth.fromApiKey(key).equals(auth)).toBe(true);
    await auth.removeAgentIdentity();
  });

  it("host tokens fold into chatgpt for authMode but keep their own apiAuthMode", () => {
    const dot = {
      ...new ChatGptAuthFixture(ACCESS).build(),
      authMode: "chatgptAuthTokens" as const,
    };
    const auth = CodexAuth.fromAuthDotJson(dot, undefined);
    expect(auth.authMode).toBe("chatgpt");
    expect(auth.apiAuthMode).toBe("chatgptAuthTokens");
    expect(auth.isExternalChatgptTokens()).toBe(true);
    expect(
      auth.equals(CodexAuth.fromAuthDotJson(new ChatGptAuthFixture("x").build(), undefined)),
    ).toBe(false);
  });

  it("without a plan claim the plan is unknown", () => {
    const auth = CodexAuth.fromAuthDotJson(new ChatGptAuthFixture(ACCESS).build(), undefined);
    expect(auth.accountPlanType()).toEqual({ unknown: "unknown" });
  });

  it("needs last_refresh for token data", async () => {
    const auth = CodexAuth.fromAuthDotJson(
      new ChatGptAuthFixture(ACCESS).lastRefresh(null).build(),
      undefined,
    );
    await expectLoginError(() => auth.getTokenData(), "token_data_unavailable");
    expect(auth.getToken().reveal()).toBe(ACCESS);
  });

  it.each([
    [
      "apikey with null key",
      { authMode: "apikey" as const, openaiApiKey: null },
      "api_key_missing",
    ],
  ] as const)("rejects %s", async (_n, dot, code) => {
    await expectLoginError(() => CodexAuth.fromAuthDotJson(dot, undefined), code);
  });

  it.each([
    ["empty", ""],
    ["not a string", 5],
  ])("fromApiKey rejects %s", async (_n, key) => {
    await expectLoginError(() => CodexAuth.fromApiKey(key as string), "invalid_argument");
  });

  it("gets, sets and removes the agent identity through its own store", async () => {
    const home = makeCodexHome();
    const storage = createAuthStorage({ codexHome: home });
    const dot = new ChatGptAuthFixture(ACCESS).accountId("ws-1").build();
    await storage.save(dot);
    const auth = CodexAuth.fromAuthDotJson(dot, storage);
    expect(auth.getAgentIdentity("ws-1")).toBeUndefined();
    await auth.setAgentIdentity(identity({ taskId: "task-1" }));
    expect(auth.getAgentIdentity("ws-2")).toBeUndefined();
    expect(auth.getAgentIdentity("ws-1")?.taskId).toBe("task-1");
    // same workspace + runtime, no task id: the stored task id is kept
    await auth.setAgentIdentity(identity());
    expect(auth.getAgentIdentity("ws-1")?.taskId).toBe("task-1");
    // another runtime: the task id goes
    await auth.setAgentIdentity(identity({ agentRuntimeId: "agent-2" }));
    expect(auth.getAgentIdentity("ws-1")?.taskId).toBeUndefined();
    const onDisk = JSON.parse(readFileSync(join(home, "auth.json"), "utf8"));
    // 0.169's record, in its key order: an absent email is written "", no task_id
    expect(Object.entries(onDisk.agent_identity)).toEqual([
      ["agent_runtime_id", "agent-2"],
      ["agent_private_key", PRIVATE_KEY],
      ["account_id", "ws-1"],
      ["chatgpt_user_id", "user-1"],
      ["email", ""],
      ["plan_type", "plus"],
      ["chatgpt_account_is_fedramp", false],
    ]);
    await auth.removeAgentIdentity();
    expect(auth.getAgentIdentity("ws-1")).toBeUndefined();
    expect("agent_identity" in JSON.parse(readFileSync(join(home, "auth.json"), "utf8"))).toBe(
      false,
    );
  });

  it("an identity write patches what is stored now: it never reverts tokens another process rotated", async () => {
    const home = makeCodexHome();
    const storage = createAuthStorage({ codexHome: home });
    const dot = new ChatGptAuthFixture(ACCESS).refreshToken(REFRESH).accountId("ws-1").build();
    await storage.save(dot);
    const auth = CodexAuth.fromAuthDotJson(dot, storage);
    // another process refreshes: the stored refresh token rotates (the old one is spent)
    const rotated = registerSecret("refresh-SECRET-codexauth-rotated");
    await storage.save(
      new ChatGptAuthFixture(ACCESS)
        .refreshToken(rotated)
        .accountId("ws-1")
        .extra({ kept: 1 })
        .build(),
    );
    await auth.setAgentIdentity(identity({ taskId: "task-1" }));
    const onDisk = JSON.parse(readFileSync(join(home, "auth.json"), "utf8"));
    expect(onDisk.tokens.refresh_token).toBe(rotated);
    expect(onDisk.kept).toBe(1);
    expect(onDisk.agent_identity.task_id).toBe("task-1");
    // the snapshot adopts what it wrote
    expect(auth.getTokenData().refreshToken.reveal()).toBe(rotated);
    await auth.removeAgentIdentity();
    const after = JSON.parse(readFileSync(join(home, "auth.json"), "utf8"));
    expect(after.tokens.refresh_token).toBe(rotated);
    expect("agent_identity" in after).toBe(false);
  });

  it("an identity write loads and saves under both credential flocks, then releases them", async () => {
    const home = makeCodexHome();
    const file = new FileAuthStorage(home);
    const authLock = join(home, "auth.lock");
    const commitLock = join(home, "auth.json.lock");
    /** Which of the two locks another open file description could take right now. */
    const free = async (): Promise<string> => {
      const states: string[] = [];
      for (const path of [authLock, commitLock]) {
        const lock = await tryLockFile(path);
        states.push(lock === undefined ? "held" : "free");
        await lock?.release();
      }
      return states.join("+");
    };
    const heldDuring: string[] = [];
    const storage: AuthStorage = {
      mode: "file",
      withLock: (fn) => file.withLock(fn),
      load: async () => {
        heldDuring.push(`load:${await free()}`);
        return file.load();
      },
      save: async (a) => {
        heldDuring.push(`save:${await free()}`);
        await file.save(a);
      },
      delete: () => file.delete(),
    };
    const dot = new ChatGptAuthFixture(ACCESS).refreshToken(REFRESH).accountId("ws-1").build();
    await file.save(dot);
    const auth = CodexAuth.fromAuthDotJson(dot, storage);
    await auth.setAgentIdentity(identity());
    await auth.removeAgentIdentity();
    expect(heldDuring).toEqual([
      "load:held+held",
      "save:held+held",
      "load:held+held",
      "save:held+held",
    ]);
    expect(await free()).toBe("free+free");
    // a failed write releases the locks too; the lock files stay (never deleted)
    await file.delete();
    await expectLoginError(auth.setAgentIdentity(identity()), "token_data_unavailable");
    expect(await free()).toBe("free+free");
    expect(existsSync(authLock) && existsSync(commitLock)).toBe(true);
  });

  it("removing a stale identity keeps one another process stored meanwhile (and adopts it)", async () => {
    const home = makeCodexHome();
    const storage = createAuthStorage({ codexHome: home });
    const dot = {
      ...new ChatGptAuthFixture(ACCESS).refreshToken(REFRESH).accountId("ws-1").build(),
      agentIdentity: identity({ agentRuntimeId: "agent-stale" }),
    };
    await storage.save(dot);
    const auth = CodexAuth.fromAuthDotJson(dot, storage);
    await storage.save({ ...dot, agentIdentity: identity({ agentRuntimeId: "agent-fresh" }) });
    await auth.removeAgentIdentity();
    const onDisk = JSON.parse(readFileSync(join(home, "auth.json"), "utf8"));
    expect(onDisk.agent_identity.agent_runtime_id).toBe("agent-fresh");
    expect(auth.getAgentIdentity("ws-1")?.agentRuntimeId).toBe("agent-fresh");
  });

  it("an identity write never resurrects a logout or writes into another account", async () => {
    const home = makeCodexHome();
    const storage = createAuthStorage({ codexHome: home });
    const dot = new ChatGptAuthFixture(ACCESS).refreshToken(REFRESH).accountId("ws-1").build();
    await storage.save(dot);
    const auth = CodexAuth.fromAuthDotJson(dot, storage);
    await storage.delete();
    await expectLoginError(auth.setAgentIdentity(identity()), "token_data_unavailable");
    expect(existsSync(join(home, "auth.json"))).toBe(false);
    const other = new ChatGptAuthFixture(ACCESS).accountId("ws-2").build();
    await storage.save(other);
    const before = readFileSync(join(home, "auth.json"), "utf8");
    await expectLoginError(auth.setAgentIdentity(identity()), "account_mismatch");
    await expectLoginError(
      CodexAuth.fromAuthDotJson(
        { ...dot, agentIdentity: identity() },
        storage,
      ).removeAgentIdentity(),
      "account_mismatch",
    );
    expect(readFileSync(join(home, "auth.json"), "utf8")).toBe(before);
  });

  it("refuses to set an identity on an auth without a store", async () => {
    const auth = CodexAuth.fromAuthDotJson(new ChatGptAuthFixture(ACCESS).build(), undefined);
    await expectLoginError(auth.setAgentIdentity(identity()), "token_data_unavailable");
  });
});

describe("CodexAuth of auth_mode agentIdentity (upstream 0.169)", () => {
  it("takes account, user, email, plan and FedRAMP from the record; has no token to refresh", () => {
    const auth = CodexAuth.fromAuthDotJson(
      parseAuthDotJson(readFixture("auth-0169-agent-identity-mode.json")),
      undefined,
    );
    expect(auth.apiAuthMode).toBe("agentIdentity");
    expect(auth.authMode).toBe("chatgpt");
    expect(auth.isChatgptAuth()).toBe(true);
    expect(auth.getAccountId()).toBe("ws-123");
    expect(auth.getChatgptUserId()).toBe("user-9");
    expect(auth.getAccountEmail()).toBe("user@example.com");
    expect(auth.accountPlanType()).toEqual({ known: "pro" });
    expect(auth.isFedrampAccount()).toBe(false);
    expect(() => auth.getToken()).toThrow("Token data is not available.");
  });

  it("a chatgpt-mode file's record does not stand in for its tokens' account", () => {
    const dot = parseAuthDotJson(readFixture("auth-0169-chatgpt-agent-identity.json"));
    const auth = CodexAuth.fromAuthDotJson({ ...dot, tokens: undefined }, undefined);
    expect(auth.getAccountId()).toBeUndefined();
    expect(auth.getAccountEmail()).toBeUndefined();
  });
});

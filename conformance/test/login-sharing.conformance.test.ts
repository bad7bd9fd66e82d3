// Issue 11, auth.json and provenance: a CODEX_HOME shared by our @codex/login and the real
// upstream codex 0.169 (login-0169.md §1, §2, §6). Each test crosses the two in one direction.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeBackend } from "@codex/fake-backend";
import { AuthManager } from "@codex/login";
import { ChatGptAuthFixture } from "@codex/login/testing";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import {
  createTempCodexHome,
  killLiveCodexRuns,
  runCodex,
  type TempCodexHome,
} from "../src/codex-harness.js";
import { upstreamDeviceLogin } from "../src/upstream-device-login.js";

const codex = inject("codexBinary");
const homes: TempCodexHome[] = [];
afterEach(async () => {
  for (const home of homes.splice(0)) await home.cleanup();
});
afterAll(() => killLiveCodexRuns());

async function freshHome(): Promise<TempCodexHome> {
  const home = await createTempCodexHome();
  homes.push(home);
  return home;
}

// Anything not on loopback goes to a closed local proxy: a refresh sent to the default issuer
// (auth.openai.com) fails here instead of leaving the machine.
const CLOSED = "http://127.0.0.1:9";
const OFFLINE_ENV = { HTTPS_PROXY: CLOSED, HTTP_PROXY: CLOSED, NO_PROXY: "127.0.0.1,localhost" };

describe("upstream 0.169 reads the agent identity our manager stores", () => {
  it("after agentIdentity().ensureBackgroundTask() against fake-backend, `codex login status` is rc 0 (chatgpt mode, and the record alone as agentIdentity mode)", async () => {
    const home = await freshHome();
    const backend = await startFakeBackend();
    try {
      const tokens = backend.issueTokens();
      const { chatgptAccountId, chatgptUserId, email, planType } = backend.account;
      await new ChatGptAuthFixture(tokens.accessToken)
        .refreshToken(tokens.refreshToken)
        .accountId(chatgptAccountId)
        .chatgptAccountId(chatgptAccountId)
        .chatgptUserId(chatgptUserId)
        .email(email)
        .planType(planType)
        .write(home.home);
      const manager = await AuthManager.create({
        codexHome: home.home,
        env: OFFLINE_ENV,
        issuer: backend.issuerUrl,
        chatgptBackend: {
          baseUrl: backend.chatgptBaseUrl,
          mode: "enabled",
          extraAllowedHosts: ["127.0.0.1"],
        },
      });
      const task = await manager.agentIdentity().ensureBackgroundTask();
      expect(task?.taskId).toBeTruthy();

      const path = join(home.home, "auth.json");
      const file = JSON.parse(await readFile(path, "utf8"));
      expect(file.agent_identity).toMatchObject({
        account_id: chatgptAccountId,
        chatgpt_user_id: chatgptUserId,
        email,
        plan_type: planType,
        chatgpt_account_is_fedramp: false,
        task_id: task?.taskId,
      });
      const status = await runCodex(codex, ["login", "status"], { home });
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout + status.stderr).toContain("Logged in using ChatGPT");

      // The same record as the credential of 0.169's agentIdentity mode: there 0.169 decodes the
      // key (standard base64 of an Ed25519 PKCS#8 DER) and, with a task_id, uses no network.
      await writeFile(
        path,
        JSON.stringify(
          { auth_mode: "agentIdentity", OPENAI_API_KEY: null, agent_identity: file.agent_identity },
          null,
          2,
        ),
        { mode: 0o600 },
      );
      const modeStatus = await runCodex(codex, ["login", "status"], { home });
      expect(modeStatus.code, modeStatus.stderr).toBe(0);
      expect(modeStatus.stdout + modeStatus.stderr).toContain("Logged in using access token");
    } finally {
      await backend.close();
    }
  });
});

describe("we refresh an upstream ChatGPT login at its provenance issuer", () => {
  it("AuthManager.refreshToken() with no issuer configured spends the token at the fake issuer; upstream still reads the file", async () => {
    const home = await freshHome();
    const backend = await startFakeBackend();
    try {
      await upstreamDeviceLogin(codex, home, backend);
      const path = join(home.home, "auth.json");
      const before = JSON.parse(await readFile(path, "utf8"));
      expect(before.tokens.oauth_provenance).toEqual({
        issuer: backend.issuerUrl,
        client_id: backend.clientId,
      });
      const manager = await AuthManager.create({
        codexHome: home.home,
        storeMode: "file",
        env: OFFLINE_ENV,
      });

      await manager.refreshToken();

      const refreshes = backend.state.tokenGrants.filter((g) => g.grantType === "refresh_token");
      expect(refreshes.map((g) => g.outcome)).toEqual(["ok"]);
      const bodies = backend.state
        .requestsTo("oauth.token")
        .map((r) => r.body as Record<string, unknown>)
        .filter((b) => b.grant_type === "refresh_token");
      expect(bodies.map((b) => [b.client_id, b.refresh_reason])).toEqual([
        [backend.clientId, "forced"],
      ]);
      const after = JSON.parse(await readFile(path, "utf8"));
      expect(after.tokens.refresh_token).not.toBe(before.tokens.refresh_token);
      expect(after.tokens.oauth_provenance).toEqual(before.tokens.oauth_provenance);
      expect(after.tokens.login_owner_id).toBe(before.tokens.login_owner_id);
      expect(Object.keys(after.tokens)).toEqual(Object.keys(before.tokens));
      const status = await runCodex(codex, ["login", "status"], { home });
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout + status.stderr).toContain("Logged in using ChatGPT");
    } finally {
      await backend.close();
    }
  });
});

describe("we read an agentIdentity-mode file that upstream 0.169 accepts", () => {
  it("login-0169.md §6's agentIdentity file: rc 0 upstream, and our manager serves it", async () => {
    const home = await freshHome();
    const text = await readFile(
      join(
        import.meta.dirname,
        "../../packages/login/test/fixtures/auth-0169-agent-identity-mode.json",
      ),
      "utf8",
    );
    const path = join(home.home, "auth.json");
    await writeFile(path, text, { mode: 0o600 });
    const status = await runCodex(codex, ["login", "status"], { home });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout + status.stderr).toContain("Logged in using access token");

    const manager = await AuthManager.create({ codexHome: home.home, env: OFFLINE_ENV });
    const auth = await manager.auth();
    expect(auth?.apiAuthMode).toBe("agentIdentity");
    expect(auth?.getAccountId()).toBe("ws-123");
    expect(auth?.getAccountEmail()).toBe("user@example.com");
    expect(manager.loadError).toBeUndefined();
    // nothing was rewritten by reading
    expect(await readFile(path, "utf8")).toBe(text);
  });
});

/**
 * Auth paths of the thread engine against the fake backend: API keys (never attested),
 * attestation once per Responses send (the 401 resend asks again), host-token refresh failures
 * surfacing as failed turns with 0.169's texts, and agent identity (AgentAssertion verified by
 * the backend, no chatgpt-account-id).
 */
import { AppServerProtocolError } from "@codex/app-server-protocol";
import type { CodexConfig } from "@codex/config";
import { type FakeBackend, scripts, startFakeBackend } from "@codex/fake-backend";
import type { AuthManager } from "@codex/login";
import type { AttestationContext, AttestationProvider } from "@codex/model-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AGENT_IDENTITY_UNSUPPORTED_ENVIRONMENT_MESSAGE,
  createThreadEngine,
  type ThreadEngine,
} from "../src/threads/index.js";
import {
  apiKeyConfig,
  authManager,
  loadTestConfig,
  notificationLog,
  signInChatgpt,
  tempHome,
  text,
} from "./threads-support.js";

let backend: FakeBackend;
let dirs: ReturnType<typeof tempHome>;
let engine: ThreadEngine | undefined;

beforeEach(async () => {
  dirs = tempHome();
});
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await backend.close();
  dirs.cleanup();
});

function countingAttestation(): AttestationProvider & { calls: AttestationContext[] } {
  const calls: AttestationContext[] = [];
  return {
    calls,
    async tokenForRequest(context) {
      calls.push(context);
      return `v1.token-${calls.length}`;
    },
  };
}

function start(
  config: CodexConfig,
  auth: AuthManager,
  attestation?: AttestationProvider,
): ThreadEngine {
  engine = createThreadEngine({
    config,
    auth,
    originator: "demo_client",
    userAgent: "demo_client/0.169.0",
    sessionSource: "vscode",
    env: {},
    ...(attestation === undefined ? {} : { attestation }),
  });
  return engine;
}

async function oneTurn(e: ThreadEngine, cwd: string) {
  const { thread } = await e.startThread({ cwd });
  const log = notificationLog();
  await e.startTurn(thread.id, text("hi"), log.sink);
  await e.waitForIdle(thread.id);
  return { thread, log, turn: log.params("turn/completed")[0]?.turn as Record<string, unknown> };
}

describe("thread engine auth", () => {
  it("API-key login: Bearer key, no account id, the attestation provider never asked", async () => {
    backend = await startFakeBackend();
    const auth = await authManager(backend, dirs.home);
    await auth.loginWithApiKey("sk-threads-test");
    const attestation = countingAttestation();
    const { turn } = await oneTurn(
      start(await apiKeyConfig(backend, dirs.home), auth, attestation),
      dirs.cwd,
    );
    expect(turn.status).toBe("completed");
    const request = backend.state.lastRequest("openai.responses");
    expect(request?.bearer).toMatchObject({ kind: "api_key", valid: true });
    expect(request?.chatgptAccountId).toBeUndefined();
    expect(request?.attestation).toBeUndefined();
    expect(attestation.calls).toHaveLength(0);
  });

  it("ChatGPT login: one attestation per send, the 401 resend asks again", async () => {
    backend = await startFakeBackend();
    const auth = await authManager(backend, dirs.home);
    await signInChatgpt(backend, auth);
    const attestation = countingAttestation();
    const e = start(await loadTestConfig(backend, dirs.home), auth, attestation);
    const first = await oneTurn(e, dirs.cwd);
    expect(first.turn.status).toBe("completed");
    expect(attestation.calls.map((c) => c.threadId)).toEqual([first.thread.id]);
    expect(backend.state.lastRequest("codex.responses")?.attestation).toBe(
      '{"v":1,"s":0,"t":"v1.token-1"}',
    );
    backend.enqueue(scripts.unauthorized());
    const log = notificationLog();
    await e.startTurn(first.thread.id, text("again"), log.sink);
    await e.waitForIdle(first.thread.id);
    expect(log.params("turn/completed")[0]?.turn).toMatchObject({ status: "completed" });
    const sends = backend.state.requestsTo("codex.responses");
    expect(sends.map((r) => r.status)).toEqual([200, 401, 200]);
    expect(sends.map((r) => r.attestation)).toEqual([
      '{"v":1,"s":0,"t":"v1.token-1"}',
      '{"v":1,"s":0,"t":"v1.token-2"}',
      '{"v":1,"s":0,"t":"v1.token-3"}',
    ]);
  });

  it("host tokens: a refresher error answer fails the turn with `auth refresh request failed: code=…`", async () => {
    backend = await startFakeBackend();
    const auth = await authManager(backend, dirs.home);
    const tokens = backend.issueTokens();
    await auth.loginWithChatgptAuthTokens(tokens.accessToken, backend.account.chatgptAccountId);
    const asked: (string | undefined)[] = [];
    auth.setExternalAuth({
      async refresh(context) {
        asked.push(context.previousAccountId);
        throw new AppServerProtocolError("rpc_error", "request failed with JSON-RPC error -32000", {
          rpcError: { code: -32000, message: "the host said no" },
        });
      },
    });
    backend.enqueue(scripts.unauthorized());
    const { log, turn } = await oneTurn(
      start(await loadTestConfig(backend, dirs.home), auth),
      dirs.cwd,
    );
    expect(asked).toEqual([backend.account.chatgptAccountId]);
    const error = {
      message: "auth refresh request failed: code=-32000",
      codexErrorInfo: "other",
      additionalDetails: null,
      misalignment: null,
    };
    expect(log.methods().slice(-2)).toEqual(["error", "turn/completed"]);
    expect(log.params("error")[0]).toMatchObject({ error, willRetry: false });
    expect(turn).toMatchObject({ status: "failed", error, items: [] });
  });

  it("host tokens: a refresher that never answers fails the turn with the timeout text", async () => {
    backend = await startFakeBackend();
    const auth = await authManager(backend, dirs.home, { externalRefreshTimeoutMs: 1000 });
    const tokens = backend.issueTokens();
    await auth.loginWithChatgptAuthTokens(tokens.accessToken, backend.account.chatgptAccountId);
    auth.setExternalAuth({ refresh: () => new Promise(() => {}) });
    backend.enqueue(scripts.unauthorized());
    const { turn } = await oneTurn(start(await loadTestConfig(backend, dirs.home), auth), dirs.cwd);
    expect(turn).toMatchObject({
      status: "failed",
      error: { message: "auth refresh request timed out after 1s", codexErrorInfo: "other" },
    });
  });

  it("host tokens: a refreshed token is used for the resend and the turn completes", async () => {
    backend = await startFakeBackend();
    const auth = await authManager(backend, dirs.home);
    const first = backend.issueTokens();
    await auth.loginWithChatgptAuthTokens(first.accessToken, backend.account.chatgptAccountId);
    const second = backend.issueTokens();
    auth.setExternalAuth({
      refresh: async () => ({
        accessToken: second.accessToken,
        chatgptMetadata: { accountId: backend.account.chatgptAccountId },
      }),
    });
    backend.enqueue(scripts.unauthorized());
    const { turn } = await oneTurn(start(await loadTestConfig(backend, dirs.home), auth), dirs.cwd);
    expect(turn.status).toBe("completed");
    const sends = backend.state.requestsTo("codex.responses");
    expect(sends.at(-1)?.headers.authorization).toBe(`Bearer ${second.accessToken}`);
  });

  it("agent identity on a loopback backend admitted by agent_identity_allowed_hosts: AgentAssertion verified, no account id", async () => {
    backend = await startFakeBackend({ require: { agentAssertion: true } });
    const auth = await authManager(backend, dirs.home);
    await signInChatgpt(backend, auth);
    const config = await loadTestConfig(backend, dirs.home, [
      "features.use_agent_identity=true",
      'agent_identity_allowed_hosts=["127.0.0.1"]',
    ]);
    const e = start(config, auth);
    const { thread, turn } = await oneTurn(e, dirs.cwd);
    expect(turn.status).toBe("completed");
    expect(backend.state.agents.size).toBe(1);
    expect(backend.state.tasks.size).toBe(1);
    const request = backend.state.lastRequest("codex.responses");
    expect(request?.authScheme).toBe("agent-assertion");
    expect(request?.assertion?.verified).toBe(true);
    expect(request?.chatgptAccountId).toBeUndefined();
    // A second turn of the same thread reuses its task.
    await e.startTurn(thread.id, text("again"), () => {});
    await e.waitForIdle(thread.id);
    expect(backend.state.tasks.size).toBe(1);
    expect(backend.state.lastRequest("codex.responses")?.assertion?.verified).toBe(true);
  });

  it("agent identity on a loopback backend not admitted fails the turn with 0.169's message", async () => {
    backend = await startFakeBackend();
    const auth = await authManager(backend, dirs.home);
    await signInChatgpt(backend, auth);
    const config = await loadTestConfig(backend, dirs.home, ["features.use_agent_identity=true"]);
    const { turn } = await oneTurn(start(config, auth), dirs.cwd);
    expect(turn).toMatchObject({
      status: "failed",
      error: { message: AGENT_IDENTITY_UNSUPPORTED_ENVIRONMENT_MESSAGE },
    });
    expect(backend.state.requestsTo("codex.responses")).toHaveLength(0);
    expect(backend.state.agents.size).toBe(0);
  });
});

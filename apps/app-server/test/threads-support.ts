/**
 * Shared set-up of the thread-engine end-to-end tests: a fake backend on 127.0.0.1, a fresh
 * CODEX_HOME, a config shaped like `@codex/config`'s, a real AuthManager, and a notification log.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerNotification } from "@codex/app-server-protocol";
import type { FakeBackend } from "@codex/fake-backend";
import { AuthManager } from "@codex/login";
import { ChatGptAuthFixture } from "@codex/login/testing";
import type { ThreadEngineConfig } from "../src/threads/config-shape.js";

export function tempHome(): { home: string; cwd: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), "threads-e2e-"));
  const home = join(root, "home");
  const cwd = join(root, "work");
  return { home, cwd, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The config of app-server-0169.md §"Config used": a custom provider on the fake's /codex. */
export function chatgptConfig(
  b: FakeBackend,
  home: string,
  extra: Partial<ThreadEngineConfig> = {},
): ThreadEngineConfig {
  return {
    codexHome: home,
    model: "gpt-demo",
    modelProviderId: "demo",
    modelProvider: {
      name: "demo",
      baseUrl: `${b.chatgptBaseUrl}/codex`,
      wireApi: "responses",
      requiresOpenaiAuth: true,
      supportsWebsockets: false,
      requestMaxRetries: 0,
      streamMaxRetries: 0,
    },
    chatgptBaseUrl: b.chatgptBaseUrl,
    forcedChatgptWorkspaceId: undefined,
    features: { useAgentIdentity: false },
    agentIdentityAllowedHosts: [],
    attestationTimeoutMs: 1000,
    modelReasoningEffort: undefined,
    ...extra,
  };
}

/** The OpenAI API provider of the fake (`/v1`), for API-key logins. */
export function apiKeyConfig(b: FakeBackend, home: string): ThreadEngineConfig {
  return chatgptConfig(b, home, {
    modelProviderId: "fake",
    modelProvider: {
      name: "fake",
      baseUrl: b.openaiBaseUrl,
      wireApi: "responses",
      requiresOpenaiAuth: true,
      supportsWebsockets: false,
      requestMaxRetries: 0,
      streamMaxRetries: 0,
    },
  });
}

export async function authManager(
  b: FakeBackend,
  home: string,
  extra: { externalRefreshTimeoutMs?: number } = {},
): Promise<AuthManager> {
  return AuthManager.create({
    codexHome: home,
    storeMode: "file",
    env: {},
    issuer: b.issuerUrl,
    refreshTokenUrl: `${b.issuerUrl}/oauth/token`,
    chatgptBackend: { baseUrl: b.chatgptBaseUrl },
    ...extra,
  });
}

/** Signs `login` in with managed ChatGPT tokens minted by the fake (auth.json). */
export async function signInChatgpt(b: FakeBackend, login: AuthManager): Promise<void> {
  const tokens = b.issueTokens();
  await login.saveAuth(
    new ChatGptAuthFixture(tokens.accessToken)
      .refreshToken(tokens.refreshToken)
      .accountId(b.account.chatgptAccountId)
      .chatgptAccountId(b.account.chatgptAccountId)
      .build(),
  );
}

/** Collects a turn's notifications. */
export function notificationLog(): {
  sink: (n: ServerNotification) => void;
  all: ServerNotification[];
  methods: () => string[];
  params: (method: string) => Record<string, unknown>[];
} {
  const all: ServerNotification[] = [];
  return {
    sink: (n) => {
      all.push(n);
    },
    all,
    methods: () => all.map((n) => n.method),
    params: (method) =>
      all.filter((n) => n.method === method).map((n) => n.params as Record<string, unknown>),
  };
}

export const text = (value: string) => [{ type: "text", text: value, text_elements: [] }];

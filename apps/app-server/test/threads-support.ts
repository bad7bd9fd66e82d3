/**
 * Shared set-up of the thread-engine end-to-end tests: a fake backend on 127.0.0.1, a fresh
 * CODEX_HOME, a config shaped like `@codex/config`'s, a real AuthManager, and a notification log.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerNotification } from "@codex/app-server-protocol";
import { type CodexConfig, loadConfig } from "@codex/config";
import type { FakeBackend } from "@codex/fake-backend";
import { AuthManager } from "@codex/login";
import { ChatGptAuthFixture } from "@codex/login/testing";
import { Ajv, type ValidateFunction } from "ajv";

export function tempHome(): { home: string; cwd: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), "threads-e2e-"));
  const home = join(root, "home");
  const cwd = join(root, "work");
  return { home, cwd, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Writes the `config.toml` of app-server-0169.md ("Config used": a custom `demo` provider on the
 * fake's `/backend-api/codex`, plus a `fake` provider on its `/v1` for API keys) and loads it
 * through `@codex/config`, `-c` overrides applied.
 */
export async function loadTestConfig(
  b: FakeBackend,
  home: string,
  overrides: readonly string[] = [],
): Promise<CodexConfig> {
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, "config.toml"),
    [
      `chatgpt_base_url = "${b.chatgptBaseUrl}"`,
      'model = "gpt-demo"',
      'model_provider = "demo"',
      "",
      "[model_providers.demo]",
      'name = "demo"',
      `base_url = "${b.chatgptBaseUrl}/codex"`,
      'wire_api = "responses"',
      "requires_openai_auth = true",
      "supports_websockets = false",
      "request_max_retries = 0",
      "stream_max_retries = 0",
      "",
      "[model_providers.fake]",
      'name = "fake"',
      `base_url = "${b.openaiBaseUrl}"`,
      'wire_api = "responses"',
      "requires_openai_auth = true",
      "supports_websockets = false",
      "request_max_retries = 0",
      "stream_max_retries = 0",
      "",
    ].join("\n"),
  );
  return loadConfig({ codexHome: home, overrides, env: {} });
}

/** {@link loadTestConfig} with the API-key provider selected. */
export function apiKeyConfig(b: FakeBackend, home: string): Promise<CodexConfig> {
  return loadTestConfig(b, home, ['model_provider="fake"']);
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

const SCHEMA_DIR = new URL("./fixtures/threads-schema-0.169/", import.meta.url);
const SCHEMA_OF: Readonly<Record<string, string>> = {
  "turn/started": "TurnStartedNotification",
  "turn/completed": "TurnCompletedNotification",
  "item/started": "ItemStartedNotification",
  "item/completed": "ItemCompletedNotification",
  "item/agentMessage/delta": "AgentMessageDeltaNotification",
  error: "ErrorNotification",
  "thread/started": "ThreadStartedNotification",
  "thread/start result": "ThreadStartResponse",
  "turn/start result": "TurnStartResponse",
};
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();

/**
 * The schema-0.169 errors of `value` as `what` (a notification method, `thread/start result` or
 * `turn/start result`), from the upstream-generated files vendored under test/fixtures.
 */
export function schemaErrors(what: string, value: unknown): string[] {
  const name = SCHEMA_OF[what];
  if (name === undefined) return [`no schema for ${what}`];
  let validate = compiled.get(name);
  if (validate === undefined) {
    validate = ajv.compile(JSON.parse(readFileSync(new URL(`${name}.json`, SCHEMA_DIR), "utf8")));
    compiled.set(name, validate);
  }
  return validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${what}${e.instancePath} ${e.message ?? ""}`);
}

/** The schema errors of every notification in `log`. */
export function notificationSchemaErrors(all: readonly ServerNotification[]): string[] {
  return all.flatMap((n) => schemaErrors(n.method, n.params));
}

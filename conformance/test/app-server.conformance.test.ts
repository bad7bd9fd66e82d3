/**
 * Our `codex-app-server` (apps/app-server, built) beside the real `codex app-server` 0.169.0, the
 * same scripted client against each, the same fake backend: the transcripts must match
 * structurally — the same message kinds in the same order, the same result keys (in order) and
 * JSON types, the same error codes and messages, the same server-request params.
 * Notifications 0.169 sends on its own that are out of this surface are left out of both.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type FakeBackend, scripts, startFakeBackend } from "@codex/fake-backend";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { codexEnv, createTempCodexHome, killLiveCodexRuns } from "../src/codex-harness.js";

const codex = inject("codexBinary");
const OURS = fileURLToPath(new URL("../../apps/app-server/dist/bin.js", import.meta.url));

const NOISE = new Set([
  "configWarning",
  "remoteControl/status/changed",
  "warning",
  "thread/status/changed",
  "thread/tokenUsage/updated",
  "account/rateLimits/updated",
  "thread/readState/changed",
  "mcpServer/startupStatus/updated",
  "item/agentMessage/delta",
]);

type Message = Record<string, unknown>;

/** Keys and JSON types; literal where the two servers must agree on the value. */
function shape(value: unknown, key = ""): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((v) => shape(v));
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Message).map(([k, v]) => [k, shape(v, k)]));
  }
  const literal = [
    "code",
    "message",
    "type",
    "status",
    "authMode",
    "authMethod",
    "method",
    "error",
  ];
  return literal.includes(key) ? value : typeof value;
}

interface Step {
  readonly send: (ctx: { threadId?: string; loginId?: string }) => Message | string;
  /** Done once a message matching this has arrived (default: the reply to the step's id). */
  readonly until?: (m: Message) => boolean;
}

async function transcript(
  command: string[],
  backend: FakeBackend,
  steps: readonly Step[],
  answer: (m: Message) => Message | undefined = () => undefined,
): Promise<unknown[]> {
  const home = await createTempCodexHome();
  writeFileSync(
    `${home.home}/config.toml`,
    [
      `chatgpt_base_url = "${backend.chatgptBaseUrl}"`,
      'model = "gpt-demo"',
      'model_provider = "demo"',
      "[model_providers.demo]",
      'name = "demo"',
      `base_url = "${backend.chatgptBaseUrl}/codex"`,
      'wire_api = "responses"',
      "requires_openai_auth = true",
      "supports_websockets = false",
      "request_max_retries = 0",
      "stream_max_retries = 0",
      "",
    ].join("\n"),
  );
  const child: ChildProcessWithoutNullStreams = spawn(command[0]!, command.slice(1), {
    cwd: home.workdir,
    env: codexEnv(home, { CODEX_APP_SERVER_LOGIN_PORT: "0", TERM: "xterm" }),
  });
  const out: unknown[] = [];
  const ctx: { threadId?: string; loginId?: string } = {};
  let waiting: ((m: Message) => boolean) | undefined;
  let release: () => void = () => {};
  const write = (m: Message | string) =>
    child.stdin.write(`${typeof m === "string" ? m : JSON.stringify(m)}\n`);
  createInterface({ input: child.stdout }).on("line", (line) => {
    const m = JSON.parse(line) as Message;
    const result = m.result as Message | undefined;
    const thread = result?.thread as Message | undefined;
    if (typeof thread?.id === "string") ctx.threadId = thread.id;
    if (typeof result?.loginId === "string") ctx.loginId = result.loginId;
    if (typeof m.method === "string" && "id" in m) {
      out.push({ request: m.method, id: m.id, params: m.params });
      const reply = answer(m);
      if (reply !== undefined) write({ id: m.id, ...reply });
    } else if (!(typeof m.method === "string" && NOISE.has(m.method))) {
      out.push(shape(m));
    }
    if (waiting?.(m)) {
      waiting = undefined;
      release();
    }
  });
  try {
    for (const [index, step] of steps.entries()) {
      const message = step.send(ctx);
      const id = typeof message === "string" ? undefined : message.id;
      const until =
        step.until ?? ((m: Message) => id !== undefined && m.id === id && !("method" in m));
      const done = new Promise<void>((resolve) => {
        release = resolve;
      });
      waiting = until;
      write(message);
      if (step.until === undefined && id === undefined) {
        waiting = undefined;
        continue;
      }
      await Promise.race([
        done,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`step ${index} got no answer`)), 30_000),
        ),
      ]);
    }
  } finally {
    child.kill("SIGKILL");
    await home.cleanup();
  }
  return out;
}

let backend: FakeBackend;
beforeAll(async () => {
  expect(existsSync(OURS), `build apps/app-server first (${OURS})`).toBe(true);
  backend = await startFakeBackend({
    models: ["gpt-demo"],
    account: { chatgptAccountId: "acct-demo", workspaceBackendOrigin: "https://127.0.0.1" },
  });
});
afterAll(async () => {
  killLiveCodexRuns();
  await backend?.close();
});

const initialize = (capabilities?: Message): Step => ({
  send: () => ({
    id: 1,
    method: "initialize",
    params: { clientInfo: { name: "conformance", version: "1.0.0" }, capabilities },
  }),
});
const request = (id: number, method: string, params?: unknown, until?: Step["until"]): Step => ({
  send: () => (params === undefined ? { id, method } : { id, method, params }),
  ...(until === undefined ? {} : { until }),
});
const notified = (method: string) => (m: Message) => m.method === method;

describe("our app-server beside the real codex app-server 0.169.0", () => {
  it("lifecycle and error texts", async () => {
    const steps: Step[] = [
      { send: () => "{not json" },
      { send: () => "[1,2]" },
      { send: () => '{"id":99}' },
      request(2, "account/read", {}),
      request(3, "initialize", { clientInfo: { version: "1" } }),
      request(4, "initialize", { clientInfo: { name: "bad\rname", version: "1" } }),
      request(5, "initialize", {
        clientInfo: { name: "a", version: "1" },
        capabilities: { requestAttestation: null },
      }),
      request(6, "no/such/method", {}),
      initialize(),
      request(7, "initialize", { clientInfo: { name: "a", version: "1" } }),
      request(8, "account/login/start", { type: "apiKey" }),
      request(9, "account/login/start", { type: "bogus" }),
      request(10, "account/login/start"),
      request(11, "account/read", { refreshToken: "yes" }),
      request(12, "account/login/cancel", {}),
      request(13, "account/login/cancel", { loginId: "not-a-uuid" }),
      request(14, "account/login/start", { type: "chatgptAuthTokens", accessToken: "a" }),
      request(15, "account/read", null),
      request(16, "account/logout", 5),
      request(17, "getAuthStatus", { includeToken: true }),
      request(18, "account/login/start", {
        type: "chatgptAuthTokens",
        accessToken: "opaque",
        chatgptAccountId: "acct-demo",
      }),
    ];
    const theirs = await transcript([codex, "app-server"], backend, steps);
    const ours = await transcript([process.execPath, OURS], backend, steps);
    expect(theirs).toHaveLength(18); // a reply to every request, nothing for the garbage lines
    expect(ours).toEqual(theirs);
  });

  it("API key login, account/read, getAuthStatus, logout, browser login start and cancel", async () => {
    const steps: Step[] = [
      initialize({ optOutNotificationMethods: ["no/such/notification"] }),
      request(
        2,
        "account/login/start",
        { type: "apiKey", apiKey: "sk-conformance" },
        notified("account/updated"),
      ),
      request(3, "account/read", {}),
      request(4, "getAuthStatus", { includeToken: true }),
      request(5, "account/rateLimits/read"),
      request(6, "account/logout", {}, notified("account/updated")),
      request(7, "account/rateLimits/read", null),
      request(8, "account/login/start", { type: "chatgpt" }),
      request(9, "account/read", {}),
      {
        send: (ctx) => ({
          id: 10,
          method: "account/login/cancel",
          params: { loginId: ctx.loginId },
        }),
        until: notified("account/login/completed"),
      },
      {
        send: (ctx) => ({
          id: 11,
          method: "account/login/cancel",
          params: { loginId: ctx.loginId },
        }),
      },
    ];
    const theirs = await transcript([codex, "app-server"], backend, steps);
    const ours = await transcript([process.execPath, OURS], backend, steps);
    expect(theirs.length).toBeGreaterThanOrEqual(15);
    expect(ours).toEqual(theirs);
  });

  it("external tokens, workspace routing, rate limits, and a turn with attestation and a 401 refresh", async () => {
    const answer = (m: Message): Message | undefined => {
      if (m.method === "attestation/generate") return { result: { token: "v1.conformance" } };
      if (m.method === "account/chatgptAuthTokens/refresh") {
        return {
          result: {
            accessToken: backend.issueTokens().accessToken,
            chatgptAccountId: "acct-demo",
            chatgptPlanType: "plus",
          },
        };
      }
      return undefined;
    };
    const steps = (): Step[] => [
      initialize({ experimentalApi: true, requestAttestation: true }),
      {
        send: () => ({
          id: 2,
          method: "account/login/start",
          params: {
            type: "chatgptAuthTokens",
            accessToken: backend.issueTokens().accessToken,
            chatgptAccountId: "acct-demo",
            chatgptPlanType: null,
          },
        }),
        until: notified("account/updated"),
      },
      request(3, "account/read", { refreshToken: true }),
      request(4, "account/rateLimits/read", {}),
      request(5, "thread/start", {}, notified("thread/started")),
      {
        send: (ctx) => {
          backend.enqueue(scripts.unauthorized(), scripts.text("hello from demo"));
          return {
            id: 6,
            method: "turn/start",
            params: {
              threadId: ctx.threadId,
              input: [{ type: "text", text: "hi", text_elements: [] }],
            },
          };
        },
        until: notified("turn/completed"),
      },
      request(7, "account/logout", {}, notified("account/updated")),
    ];
    const theirs = await transcript([codex, "app-server"], backend, steps(), answer);
    const theirAttestations = backend.state.requests
      .filter((r) => r.endpoint === "codex.responses")
      .map((r) => r.attestation);
    const ours = await transcript([process.execPath, OURS], backend, steps(), answer);
    const ourAttestations = backend.state.requests
      .filter((r) => r.endpoint === "codex.responses")
      .map((r) => r.attestation)
      .slice(theirAttestations.length);
    expect(theirs.filter((m) => (m as Message).request !== undefined)).toHaveLength(3);
    expect(ours).toEqual(theirs);
    expect(theirAttestations).toHaveLength(2);
    expect(ourAttestations).toEqual(theirAttestations);
  });
});

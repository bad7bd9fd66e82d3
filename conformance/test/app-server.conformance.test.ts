/**
 * Our `codex-app-server` beside the real `codex app-server` (0.169.0): each scenario is one list
 * of steps that `runScenario` plays against both, over stdio, each with its own fake backend and
 * temporary HOME/CODEX_HOME. Both transcripts are reduced to signatures (message kinds in order,
 * envelope members, member names and JSON types of results and params, discriminator values,
 * error codes and deterministic error messages; upstream's background notifications dropped, see
 * `IGNORED_NOTIFICATIONS`) and must be equal. Each step's `expect` holds on both servers, so the
 * upstream run alone proves the facts of `shared/upstream/app-server-0169.md` that we compare on.
 *
 * Our side runs when apps/app-server is built (its `codex-app-server` bin exists); until then it
 * is skipped with a printed reason.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_ACCOUNT, decodeJwtClaims, type RequestRecord, scripts } from "@codex/fake-backend";
import { describe, expect, inject, it } from "vitest";
import {
  apiKeyProviderConfig,
  ourAppServer,
  type RequestStep,
  runScenario,
  type Scenario,
  type ScenarioContext,
  type ScenarioRun,
  type Step,
  upstreamAppServer,
  WORKSPACE_BACKEND_ORIGIN,
} from "../src/app-server-driver.js";
import type { ServerMessage } from "../src/app-server-transcript.js";

const upstream = upstreamAppServer(inject("codexBinary"));
/**
 * `APP_SERVER_CONFORMANCE_SELF=1` plays upstream on "our" side too: a second upstream run must
 * give the same signatures, which shows the comparison is stable (nothing racy is compared).
 */
const ours =
  process.env.APP_SERVER_CONFORMANCE_SELF === "1"
    ? { server: { ...upstream, name: "ours" as const } }
    : ourAppServer();
if ("skip" in ours) {
  process.stderr.write(`[conformance] app-server: our side is skipped: ${ours.skip}\n`);
}

/** 0.169's client methods, in the order its serde error lists them (captured from the binary). */
const METHODS = (
  JSON.parse(
    readFileSync(
      new URL("../fixtures/upstream-0.169-app-server-methods.json", import.meta.url),
      "utf8",
    ),
  ) as { methods: string[] }
).methods;
const UNKNOWN_METHOD = `Invalid request: unknown variant \`no/such/method\`, expected one of ${METHODS.map((m) => `\`${m}\``).join(", ")}`;

const CLIENT = { name: "codex_conformance", version: "0.0.0" };
const API_KEY = "sk-conformance-app-server-key";

// ---- step builders -------------------------------------------------------------------------

type RequestOptions = Omit<RequestStep, "kind" | "method" | "params">;
const request = (
  method: string,
  params?: Record<string, unknown> | null | number | ((ctx: ScenarioContext) => unknown),
  options: RequestOptions = {},
): RequestStep => ({ kind: "request", method, params, ...options });
const raw = (line: string): Step => ({ kind: "raw", line });
const notify = (method: string, params?: unknown): Step => ({ kind: "notify", method, params });
const quiet = (ms: number): Step => ({ kind: "quiet", ms });
const check = (run: (ctx: ScenarioContext) => void | Promise<void>): Step => ({
  kind: "check",
  run,
});

/** The answer is an error with this code and (exact or matching) message. */
const fails =
  (code: number, message?: string | RegExp) =>
  (answer: ServerMessage): void => {
    expect(answer.kind, JSON.stringify(answer.raw)).toBe("error");
    if (answer.kind !== "error") return;
    expect(answer.code).toBe(code);
    if (typeof message === "string") expect(answer.message).toBe(message);
    else if (message !== undefined) expect(answer.message).toMatch(message);
  };
/** The answer is a result, checked by `fn`. */
const succeeds =
  (fn: (result: Record<string, unknown>, ctx: ScenarioContext) => void = () => {}) =>
  (answer: ServerMessage, ctx: ScenarioContext): void => {
    expect(answer.kind, JSON.stringify(answer.raw)).toBe("response");
    if (answer.kind === "response") fn(answer.result as Record<string, unknown>, ctx);
  };
const resultIs = (expected: unknown) => succeeds((result) => expect(result).toEqual(expected));

const initialize = (capabilities?: Record<string, unknown> | null): RequestStep =>
  request(
    "initialize",
    capabilities === undefined ? { clientInfo: CLIENT } : { clientInfo: CLIENT, capabilities },
    {
      expect: succeeds((result, ctx) => {
        expect(Object.keys(result).sort()).toEqual([
          "codexHome",
          "platformFamily",
          "platformOs",
          "userAgent",
        ]);
        expect(result.codexHome).toBe(ctx.home.home);
        expect(result.platformFamily).toBe("unix");
        expect(result.platformOs).toBe("linux");
        // {originator}/{version} ({os} {os version}; {arch}) {terminal} ({client}; {version})
        expect(result.userAgent).toMatch(
          /^codex_conformance\/\d+\.\d+\.\d+\S* \([^;()]+; [^;()]+\) .+ \(codex_conformance; 0\.0\.0\)$/,
        );
      }),
    },
  );
/** `initialize` + `initialized`. */
const start = (capabilities?: Record<string, unknown> | null): Step[] => [
  initialize(capabilities),
  notify("initialized"),
];

const LOGGED_OUT = {
  account: null,
  userId: null,
  requiresOpenaiAuth: true,
  workspaceRouting: null,
};
const loginApiKey = (after = ["account/login/completed", "account/updated"]) =>
  request(
    "account/login/start",
    { type: "apiKey", apiKey: API_KEY },
    { after, expect: resultIs({ type: "apiKey" }) },
  );
const externalTokens = (ctx: ScenarioContext, accessToken?: string) => ({
  type: "chatgptAuthTokens",
  accessToken: accessToken ?? ctx.tokens.accessToken,
  chatgptAccountId: accountId(ctx),
  chatgptPlanType: null,
});
/** `chatgpt_account_id` of the run's access token. */
const accountId = (ctx: ScenarioContext): string => {
  const auth = decodeJwtClaims(ctx.tokens.accessToken)?.["https://api.openai.com/auth"];
  const id = (auth as { chatgpt_account_id?: unknown } | undefined)?.chatgpt_account_id;
  return typeof id === "string" ? id : "";
};
const logout = request("account/logout", undefined, {
  after: ["account/updated"],
  expect: resultIs({}),
});
const authJson = (ctx: ScenarioContext) => join(ctx.home.home, "auth.json");
const responsesCalls = (ctx: ScenarioContext): RequestRecord[] =>
  ctx.backend.state.requests.filter(
    (r) => r.endpoint === "codex.responses" || r.endpoint === "openai.responses",
  );

// ---- scenarios -----------------------------------------------------------------------------

const SCENARIOS: Scenario[] = [
  {
    name: "initialize, then Already initialized",
    steps: [
      ...start(),
      request(
        "initialize",
        { clientInfo: CLIENT },
        { expect: fails(-32600, "Already initialized") },
      ),
      request("account/read", { refreshToken: false }, { expect: resultIs(LOGGED_OUT) }),
    ],
  },
  {
    name: "before initialize: silence on junk, Not initialized, unknown method, bad initialize params",
    steps: [
      raw("{not json"),
      raw("[1,2]"),
      raw(`{"id":77}`),
      raw(`{"method":"no/such/notification"}`),
      request("account/read", {}, { expect: fails(-32600, "Not initialized") }),
      request(
        "no/such/method",
        {},
        {
          expect: fails(-32600, UNKNOWN_METHOD),
        },
      ),
      request(
        "initialize",
        { clientInfo: { version: "1" } },
        { expect: fails(-32600, "Invalid request: missing field `name`") },
      ),
      request(
        "initialize",
        { clientInfo: CLIENT, capabilities: { requestAttestation: null } },
        { expect: fails(-32600, "Invalid request: invalid type: null, expected a boolean") },
      ),
      request(
        "initialize",
        { clientInfo: { name: "bad\rname", version: "1" } },
        {
          expect: fails(
            -32600,
            "Invalid clientInfo.name: 'bad\rname'. Must be a valid HTTP header value.",
          ),
        },
      ),
      request("account/read", {}, { expect: fails(-32600, "Not initialized") }),
      // capabilities null is accepted, and the connection initializes after the failures above.
      ...start(null),
      request("account/read", {}, { expect: resultIs(LOGGED_OUT) }),
    ],
  },
  {
    name: "bad params after initialize, string ids, param-less methods",
    steps: [
      ...start(),
      request(
        "account/login/start",
        { type: "apiKey" },
        { expect: fails(-32600, "Invalid request: missing field `apiKey`") },
      ),
      request(
        "account/login/start",
        { type: "bogus" },
        {
          expect: fails(
            -32600,
            "Invalid request: unknown variant `bogus`, expected one of `apiKey`, `chatgpt`, `chatgptDeviceCode`, `chatgptAuthTokens`, `amazonBedrock`, `amazonBedrockAccessKeys`",
          ),
        },
      ),
      request("account/login/start", undefined, {
        expect: fails(-32600, "Invalid request: missing field `params`"),
      }),
      request("account/read", undefined, {
        expect: fails(-32600, "Invalid request: missing field `params`"),
      }),
      request(
        "account/read",
        { refreshToken: "yes" },
        {
          expect: fails(-32600, 'Invalid request: invalid type: string "yes", expected a boolean'),
        },
      ),
      request(
        "account/login/cancel",
        {},
        { expect: fails(-32600, "Invalid request: missing field `loginId`") },
      ),
      request("no/such/method", {}, { expect: fails(-32600, UNKNOWN_METHOD) }),
      request(
        "account/read",
        { refreshToken: true },
        { id: "str-id-4", expect: resultIs(LOGGED_OUT) },
      ),
      request("account/logout", undefined, { after: ["account/updated"], expect: resultIs({}) }),
      request("account/logout", null, { after: ["account/updated"], expect: resultIs({}) }),
      request("account/logout", {}, { after: ["account/updated"], expect: resultIs({}) }),
      request("account/rateLimits/read", undefined, {
        expect: fails(-32600, "codex account authentication required to read rate limits"),
      }),
      request(
        "account/rateLimits/read",
        {},
        {
          expect: fails(-32600, "codex account authentication required to read rate limits"),
        },
      ),
      request("account/rateLimits/read", null, {
        expect: fails(-32600, "codex account authentication required to read rate limits"),
      }),
      // Wrong param types; the serde texts are compared between the servers.
      request("account/read", null, { expect: fails(-32600) }),
      request("account/logout", 5, { expect: fails(-32600) }),
      request(
        "account/login/start",
        { type: "chatgptAuthTokens", accessToken: "a" },
        { expect: fails(-32600, "Invalid request: missing field `chatgptAccountId`") },
      ),
    ],
  },
  {
    name: "logged out: account/read, getAuthStatus, rateLimits/read, logout",
    steps: [
      ...start(),
      request("account/read", { refreshToken: false }, { expect: resultIs(LOGGED_OUT) }),
      request("account/read", { refreshToken: true }, { expect: resultIs(LOGGED_OUT) }),
      request(
        "getAuthStatus",
        { includeToken: true, refreshToken: false },
        { expect: resultIs({ authMethod: null, authToken: null, requiresOpenaiAuth: true }) },
      ),
      request("account/rateLimits/read", undefined, {
        expect: fails(-32600, "codex account authentication required to read rate limits"),
      }),
      logout,
      check((ctx) => {
        const updated = ctx.messages.filter(
          (m) => m.kind === "notification" && m.method === "account/updated",
        );
        expect(updated.map((m) => (m.kind === "notification" ? m.params : null))).toEqual([
          { authMode: null, planType: null },
        ]);
      }),
    ],
  },
  {
    name: "API key: login, account/read, getAuthStatus, rateLimits/read, logout",
    secrets: () => [API_KEY],
    steps: [
      ...start(),
      loginApiKey(),
      check(async (ctx) => {
        const completed = ctx.messages.find(
          (m) => m.kind === "notification" && m.method === "account/login/completed",
        );
        expect(completed?.kind === "notification" ? completed.params : null).toEqual({
          loginId: null,
          success: true,
          error: null,
          onboardingEntrypoint: null,
        });
        const updated = ctx.messages.find(
          (m) => m.kind === "notification" && m.method === "account/updated",
        );
        expect(updated?.kind === "notification" ? updated.params : null).toEqual({
          authMode: "apikey",
          planType: null,
        });
        expect(statSync(authJson(ctx)).mode & 0o777).toBe(0o600);
        const stored = JSON.parse(await readFile(authJson(ctx), "utf8")) as Record<string, unknown>;
        expect(Object.keys(stored).sort()).toEqual(["OPENAI_API_KEY", "auth_mode"]);
        expect(stored).toEqual({ auth_mode: "apikey", OPENAI_API_KEY: API_KEY });
      }),
      request(
        "account/read",
        { refreshToken: false },
        { expect: resultIs({ ...LOGGED_OUT, account: { type: "apiKey" } }) },
      ),
      request(
        "getAuthStatus",
        { includeToken: true },
        {
          expect: resultIs({ authMethod: "apikey", authToken: API_KEY, requiresOpenaiAuth: true }),
        },
      ),
      request(
        "getAuthStatus",
        { includeToken: false },
        { expect: resultIs({ authMethod: "apikey", authToken: null, requiresOpenaiAuth: true }) },
      ),
      request("account/rateLimits/read", undefined, {
        expect: fails(-32600, "chatgpt authentication required to read rate limits"),
      }),
      logout,
      check((ctx) => {
        expect(existsSync(authJson(ctx))).toBe(false);
      }),
      request("account/read", { refreshToken: false }, { expect: resultIs(LOGGED_OUT) }),
    ],
  },
  {
    name: "chatgptAuthTokens without experimentalApi is refused",
    secrets: (ctx) => [ctx.tokens.accessToken],
    steps: [
      ...start(),
      request("account/login/start", (ctx) => externalTokens(ctx), {
        expect: fails(
          -32600,
          "account/login/start.chatgptAuthTokens requires experimentalApi capability",
        ),
      }),
      request("account/read", { refreshToken: false }, { expect: resultIs(LOGGED_OUT) }),
    ],
  },
  {
    name: "chatgptAuthTokens with experimentalApi: login, account/read, getAuthStatus, rateLimits/read, refusals, logout",
    secrets: (ctx) => [ctx.tokens.accessToken, ctx.tokens.refreshToken],
    steps: [
      ...start({ experimentalApi: true }),
      request(
        "account/login/start",
        (ctx) => {
          const { chatgptAccountId: _omitted, ...rest } = externalTokens(ctx);
          return rest;
        },
        { expect: fails(-32600, "Invalid request: missing field `chatgptAccountId`") },
      ),
      request("account/login/start", (ctx) => externalTokens(ctx, "opaque-not-a-jwt"), {
        expect: fails(-32603, "failed to set external auth: invalid ID token format"),
      }),
      request("account/login/start", (ctx) => externalTokens(ctx), {
        after: ["account/login/completed", "account/updated"],
        expect: resultIs({ type: "chatgptAuthTokens" }),
      }),
      check((ctx) => {
        const updated = ctx.messages.find(
          (m) => m.kind === "notification" && m.method === "account/updated",
        );
        expect(updated?.kind === "notification" ? updated.params : null).toEqual({
          authMode: "chatgptAuthTokens",
          planType: "plus",
        });
        expect(existsSync(authJson(ctx))).toBe(false);
      }),
      // Workspace routing from the backend's list-form /wham/accounts/check.
      request("account/read", { refreshToken: false }, { expect: succeeds(externalAccount) }),
      request("account/read", { refreshToken: true }, { expect: succeeds(externalAccount) }),
      request(
        "getAuthStatus",
        { includeToken: true },
        {
          expect: succeeds((result, ctx) =>
            expect(result).toEqual({
              authMethod: "chatgptAuthTokens",
              authToken: ctx.tokens.accessToken,
              requiresOpenaiAuth: true,
            }),
          ),
        },
      ),
      // From the backend's /wham/usage; a backend without it gives both servers an error.
      request("account/rateLimits/read", undefined, {
        looseMessage: true,
        expect: (answer) => {
          if (answer.kind === "error") {
            expect(answer.code).toBe(-32603);
            expect(answer.message).toMatch(/^failed to fetch codex rate limits: /);
            return;
          }
          expect(answer.kind).toBe("response");
          const result = (answer.kind === "response" ? answer.result : {}) as Record<
            string,
            unknown
          >;
          // Beyond the doc's three keys, 0.169 also answers accountId, rateLimitResetCredits
          // (from /wham/rate-limit-reset-credits, null when that fails) and rateLimitUpsell.
          expect(Object.keys(result).sort()).toEqual([
            "accountId",
            "ordinaryUsageAllowed",
            "rateLimitResetCredits",
            "rateLimitUpsell",
            "rateLimits",
            "rateLimitsByLimitId",
          ]);
          expect(result.rateLimits).toMatchObject({ limitId: "codex", planType: "plus" });
        },
      }),
      request(
        "account/login/start",
        { type: "apiKey", apiKey: API_KEY },
        {
          expect: fails(
            -32600,
            "External auth is active. Use account/login/start (chatgptAuthTokens) to update it or account/logout to clear it.",
          ),
        },
      ),
      // Calling it again replaces the tokens: the same two notifications.
      request("account/login/start", (ctx) => externalTokens(ctx), {
        after: ["account/login/completed", "account/updated"],
        expect: resultIs({ type: "chatgptAuthTokens" }),
      }),
      logout,
      request("account/read", { refreshToken: false }, { expect: resultIs(LOGGED_OUT) }),
      request(
        "getAuthStatus",
        { includeToken: true },
        { expect: resultIs({ authMethod: null, authToken: null, requiresOpenaiAuth: true }) },
      ),
    ],
  },
  {
    name: "browser login: start, account/read while pending, cancel, cancel again",
    // Ours binds the callback server on an ephemeral port with this (0.169 always takes 1455).
    env: { CODEX_APP_SERVER_LOGIN_PORT: "0" },
    steps: [
      ...start(),
      request(
        "account/login/start",
        { type: "chatgpt" },
        {
          label: "login",
          expect: succeeds((result) => {
            expect(Object.keys(result).sort()).toEqual(["authUrl", "loginId", "type"]);
            expect(result.type).toBe("chatgpt");
            expect(result.loginId).toMatch(
              /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
            );
            const url = new URL(String(result.authUrl));
            expect(`${url.origin}${url.pathname}`).toBe("https://auth.openai.com/oauth/authorize");
            expect(url.searchParams.get("originator")).toBe(CLIENT.name);
            expect(url.searchParams.get("code_challenge_method")).toBe("S256");
          }),
        },
      ),
      request("account/read", { refreshToken: false }, { expect: resultIs(LOGGED_OUT) }),
      request("account/login/cancel", (ctx) => ({ loginId: pendingLogin(ctx) }), {
        after: ["account/login/completed"],
        expect: resultIs({ status: "canceled" }),
      }),
      check((ctx) => {
        const completed = ctx.messages.find(
          (m) => m.kind === "notification" && m.method === "account/login/completed",
        );
        expect(completed?.kind === "notification" ? completed.params : null).toEqual({
          loginId: pendingLogin(ctx),
          success: false,
          error: "Login server error: Login was not completed",
          onboardingEntrypoint: null,
        });
      }),
      request("account/login/cancel", (ctx) => ({ loginId: pendingLogin(ctx) }), {
        expect: resultIs({ status: "notFound" }),
      }),
    ],
  },
  {
    name: "account/login/cancel: unknown uuid, not a uuid",
    steps: [
      ...start(),
      request(
        "account/login/cancel",
        { loginId: randomUUID() },
        { expect: resultIs({ status: "notFound" }) },
      ),
      request(
        "account/login/cancel",
        { loginId: "not-a-uuid" },
        { expect: fails(-32600, "invalid login id: not-a-uuid") },
      ),
    ],
  },
  {
    name: "optOutNotificationMethods: account/updated never sent, login/completed still is",
    secrets: () => [API_KEY],
    steps: [
      ...start({ optOutNotificationMethods: ["account/updated", "no/such/notification"] }),
      loginApiKey(["account/login/completed"]),
      quiet(400),
      request("account/logout", undefined, { expect: resultIs({}) }),
      quiet(400),
      check((ctx) => {
        const methods = ctx.messages.flatMap((m) => (m.kind === "notification" ? [m.method] : []));
        expect(methods).toContain("account/login/completed");
        expect(methods).not.toContain("account/updated");
      }),
    ],
  },
  {
    name: "API key turn: thread/start, turn/start, streamed answer, no attestation",
    config: apiKeyProviderConfig,
    secrets: () => [API_KEY],
    steps: [
      ...start({ requestAttestation: true }),
      loginApiKey(),
      request("thread/start", {}, { label: "thread", after: ["thread/started"] }),
      check((ctx) =>
        ctx.backend.enqueue(scripts.text("hello from the fake backend", { chunkSize: 6 })),
      ),
      request(
        "turn/start",
        (ctx) => ({
          threadId: threadId(ctx),
          input: [{ type: "text", text: "hi", text_elements: [] }],
        }),
        { after: ["turn/completed"], expect: succeeds(turnStarted) },
      ),
    ],
    verify: (run, ctx) => {
      expectTurnOrder(run, "completed");
      expect(run.messages.some((m) => m.kind === "serverRequest")).toBe(false);
      const calls = responsesCalls(ctx);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.attestation).toBeUndefined();
      expect(calls[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
      expect(calls[0]?.chatgptAccountId).toBeUndefined();
      expect(agentText(run)).toBe("hello from the fake backend");
    },
  },
  {
    name: "external tokens turn: attestation/generate per send, 401 → account/chatgptAuthTokens/refresh → retried",
    secrets: (ctx) => [ctx.tokens.accessToken],
    answers: {
      "attestation/generate": (params, _ctx, n) => {
        expect(params).toEqual({});
        return { result: { token: `v1.conformance-${n}` } };
      },
      "account/chatgptAuthTokens/refresh": (params, ctx) => {
        expect(params).toEqual({ reason: "unauthorized", previousAccountId: accountId(ctx) });
        refreshed.set(ctx.home.home, ctx.backend.issueTokens().accessToken);
        return {
          result: {
            accessToken: refreshed.get(ctx.home.home),
            chatgptAccountId: accountId(ctx),
            chatgptPlanType: "plus",
          },
        };
      },
    },
    steps: [
      ...start({ experimentalApi: true, requestAttestation: true }),
      request("account/login/start", (ctx) => externalTokens(ctx), {
        after: ["account/login/completed", "account/updated"],
        expect: resultIs({ type: "chatgptAuthTokens" }),
      }),
      request("thread/start", {}, { label: "thread", after: ["thread/started"] }),
      check((ctx) =>
        ctx.backend.enqueue(
          scripts.unauthorized(),
          scripts.text("attested answer", { chunkSize: 5 }),
        ),
      ),
      request(
        "turn/start",
        (ctx) => ({
          threadId: threadId(ctx),
          input: [{ type: "text", text: "hi", text_elements: [] }],
        }),
        { after: ["turn/completed"], expect: succeeds(turnStarted) },
      ),
    ],
    verify: (run, ctx) => {
      expectTurnOrder(run, "completed");
      expect(run.messages.flatMap((m) => (m.kind === "serverRequest" ? [m.method] : []))).toEqual([
        "attestation/generate",
        "account/chatgptAuthTokens/refresh",
        "attestation/generate",
      ]);
      const calls = responsesCalls(ctx);
      expect(calls.map((c) => c.status)).toEqual([401, 200]);
      expect(calls.map((c) => c.attestation)).toEqual([
        '{"v":1,"s":0,"t":"v1.conformance-1"}',
        '{"v":1,"s":0,"t":"v1.conformance-2"}',
      ]);
      expect(calls[0]?.headers.authorization).toBe(`Bearer ${ctx.tokens.accessToken}`);
      expect(calls[1]?.headers.authorization).toBe(`Bearer ${refreshed.get(ctx.home.home)}`);
      expect(calls.map((c) => c.chatgptAccountId)).toEqual([accountId(ctx), accountId(ctx)]);
      expect(agentText(run)).toBe("attested answer");
    },
  },
  {
    name: "external tokens turns: attestation answered with an error (s:2), then without a token (s:4)",
    secrets: (ctx) => [ctx.tokens.accessToken],
    answers: {
      "attestation/generate": (_params, _ctx, n) =>
        n === 1
          ? { error: { code: -32000, message: "attestation unavailable" } }
          : { result: { headerValue: "legacy" } },
    },
    steps: [
      ...start({ experimentalApi: true, requestAttestation: true }),
      request("account/login/start", (ctx) => externalTokens(ctx), {
        after: ["account/login/completed", "account/updated"],
        expect: resultIs({ type: "chatgptAuthTokens" }),
      }),
      request("thread/start", {}, { label: "thread", after: ["thread/started"] }),
      request(
        "turn/start",
        (ctx) => ({
          threadId: threadId(ctx),
          input: [{ type: "text", text: "one", text_elements: [] }],
        }),
        { after: ["turn/completed"], expect: succeeds(turnStarted) },
      ),
      request(
        "turn/start",
        (ctx) => ({
          threadId: threadId(ctx),
          input: [{ type: "text", text: "two", text_elements: [] }],
        }),
        { after: ["turn/completed"], expect: succeeds(turnStarted) },
      ),
    ],
    verify: (_run, ctx) => {
      expect(responsesCalls(ctx).map((c) => [c.status, c.attestation])).toEqual([
        [200, '{"v":1,"s":2}'],
        [200, '{"v":1,"s":4}'],
      ]);
    },
  },
];

SCENARIOS.push({
  name: "external tokens turn: refresh answered with an error → error, failed turn/completed",
  secrets: (ctx) => [ctx.tokens.accessToken],
  answers: {
    "attestation/generate": () => ({ result: { token: "v1.conformance" } }),
    "account/chatgptAuthTokens/refresh": () => ({
      error: { code: -32000, message: "the host could not refresh" },
    }),
  },
  steps: [
    ...start({ experimentalApi: true, requestAttestation: true }),
    request("account/login/start", (ctx) => externalTokens(ctx), {
      after: ["account/login/completed", "account/updated"],
      expect: resultIs({ type: "chatgptAuthTokens" }),
    }),
    request("thread/start", {}, { label: "thread", after: ["thread/started"] }),
    check((ctx) => ctx.backend.enqueue(scripts.unauthorized())),
    request(
      "turn/start",
      (ctx) => ({
        threadId: threadId(ctx),
        input: [{ type: "text", text: "hi", text_elements: [] }],
      }),
      { after: ["error", "turn/completed"], expect: succeeds(turnStarted) },
    ),
  ],
  verify: (run, ctx) => {
    const turnLines = run.outline.filter(
      (line) => /^notification (turn|item)\//.test(line) || line === "notification error",
    );
    expect(turnLines).toEqual([
      "notification turn/started",
      "notification item/started",
      "notification item/completed",
      "notification error",
      "notification turn/completed",
    ]);
    const failure = {
      message: "auth refresh request failed: code=-32000",
      codexErrorInfo: "other",
      additionalDetails: null,
      misalignment: null,
    };
    const error = run.messages.find((m) => m.kind === "notification" && m.method === "error");
    expect(error?.kind === "notification" ? error.params : null).toMatchObject({
      error: failure,
      willRetry: false,
    });
    const completed = run.messages.find(
      (m) => m.kind === "notification" && m.method === "turn/completed",
    );
    expect(completed?.kind === "notification" ? completed.params : null).toMatchObject({
      turn: { status: "failed", error: failure, items: [] },
    });
    expect(responsesCalls(ctx).map((c) => c.status)).toEqual([401]);
  },
});

/** Access tokens handed out by the refresh answer, per run (keyed by home). */
const refreshed = new Map<string, string | undefined>();

/** `loginId` of the browser login the scenario started. */
function pendingLogin(ctx: ScenarioContext): string {
  const answer = ctx.results.get("login");
  if (answer?.kind !== "response") throw new Error("account/login/start did not succeed");
  return String((answer.result as { loginId: unknown }).loginId);
}

function threadId(ctx: ScenarioContext): string {
  const answer = ctx.results.get("thread");
  if (answer?.kind !== "response") throw new Error("thread/start did not succeed");
  return (answer.result as { thread: { id: string } }).thread.id;
}

/** `account/read` under the external tokens of the run. */
function externalAccount(result: Record<string, unknown>, ctx: ScenarioContext): void {
  expect(result).toEqual({
    account: {
      type: "chatgpt",
      email: DEFAULT_ACCOUNT.email,
      planType: "plus",
      workspaceName: DEFAULT_ACCOUNT.workspaceName,
    },
    userId: DEFAULT_ACCOUNT.chatgptUserId,
    requiresOpenaiAuth: true,
    workspaceRouting: {
      chatgptAccountId: accountId(ctx),
      backendOrigin: WORKSPACE_BACKEND_ORIGIN,
      accountRoutingOverride: "NO_CONSTRAINT",
    },
  });
}

function turnStarted(result: Record<string, unknown>): void {
  expect(result.turn).toMatchObject({
    items: [],
    itemsView: "notLoaded",
    status: "inProgress",
    error: null,
  });
}

/** The 0.169 notification order of one successful turn (doc §5). */
function expectTurnOrder(run: ScenarioRun, status: "completed"): void {
  const kinds = run.outline.filter(
    (line) =>
      line.startsWith("notification turn/") ||
      line.startsWith("notification item/") ||
      line === "notification error",
  );
  const collapsed = kinds.filter(
    (line, i) => !(line === "notification item/agentMessage/delta" && kinds[i - 1] === line),
  );
  expect(collapsed).toEqual([
    "notification turn/started",
    "notification item/started",
    "notification item/completed",
    "notification item/started",
    "notification item/agentMessage/delta",
    "notification item/completed",
    "notification turn/completed",
  ]);
  const completed = run.messages.find(
    (m) => m.kind === "notification" && m.method === "turn/completed",
  );
  expect(completed?.kind === "notification" ? completed.params : null).toMatchObject({
    turn: { status },
  });
}

/** The agent message's deltas, joined. */
function agentText(run: ScenarioRun): string {
  return run.messages
    .flatMap((m) =>
      m.kind === "notification" && m.method === "item/agentMessage/delta"
        ? [String((m.params as { delta?: unknown }).delta)]
        : [],
    )
    .join("");
}

// ---- the comparison ------------------------------------------------------------------------

const upstreamRuns = new Map<string, ScenarioRun>();

describe.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
  "app-server: %s",
  (_name, scenario) => {
    it("upstream codex app-server 0.169.0", async () => {
      const run = await runScenario(upstream, scenario);
      upstreamRuns.set(scenario.name, run);
    });

    it.skipIf("skip" in ours)("ours: same transcript structure as upstream", async () => {
      if (!("server" in ours)) return;
      const reference = upstreamRuns.get(scenario.name) ?? (await runScenario(upstream, scenario));
      const run = await runScenario(ours.server, scenario);
      expect(
        run.signatures,
        `ours:\n  ${run.outline.join("\n  ")}\nupstream:\n  ${reference.outline.join("\n  ")}`,
      ).toEqual(reference.signatures);
    });
  },
);

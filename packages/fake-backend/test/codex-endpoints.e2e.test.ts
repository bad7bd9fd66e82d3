// The endpoints the real Codex CLI 0.169 calls in ChatGPT mode besides Responses, over real
// sockets: the model catalog in upstream's `ModelsResponse` shape and the start-up endpoints.
import { afterEach, describe, expect, it } from "vitest";
import { type FakeBackend, type FakeBackendOptions, startFakeBackend } from "../src/index.js";

let backend: FakeBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

async function start(options: FakeBackendOptions = {}) {
  backend = await startFakeBackend(options);
  return { b: backend, token: backend.issueTokens().accessToken };
}

function get(b: FakeBackend, path: string, token?: string) {
  return fetch(`${b.chatgptBaseUrl}${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

function post(b: FakeBackend, path: string, body: string, token?: string) {
  return fetch(`${b.chatgptBaseUrl}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body,
  });
}

/** Every field `codex-rs` `ModelInfo` requires, with the JSON type it must have. */
const MODEL_INFO_FIELDS: Record<string, string> = {
  slug: "string",
  display_name: "string",
  description: "string",
  supported_reasoning_levels: "array",
  shell_type: "string",
  visibility: "string",
  supported_in_api: "boolean",
  priority: "number",
  upgrade: "null",
  base_instructions: "string",
  supports_reasoning_summaries: "boolean",
  support_verbosity: "boolean",
  default_verbosity: "null",
  apply_patch_tool_type: "string",
  truncation_policy: "object",
  supports_parallel_tool_calls: "boolean",
  experimental_supported_tools: "array",
  input_modalities: "array",
};

function jsonType(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

describe("GET /backend-api/codex/models", () => {
  it("answers upstream's ModelsResponse with an etag", async () => {
    const { b, token } = await start();
    const res = await get(b, "/codex/models?client_version=0.169.0", token);
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toMatch(/^".+"$/);
    const body = (await res.json()) as { models: Record<string, unknown>[] };
    expect(Object.keys(body)).toEqual(["models"]);
    expect(body.models.map((m) => m.slug)).toEqual(["gpt-5.5"]);
    const [model] = body.models;
    for (const [field, type] of Object.entries(MODEL_INFO_FIELDS)) {
      expect([field, jsonType(model?.[field])]).toEqual([field, type]);
    }
    expect(model).toMatchObject({
      visibility: "list",
      shell_type: "shell_command",
      default_reasoning_level: "medium",
      truncation_policy: { mode: "tokens", limit: expect.any(Number) },
    });
    const levels = (model?.supported_reasoning_levels ?? []) as { effort: string }[];
    expect(levels.length).toBeGreaterThan(0);
    for (const level of levels) {
      expect(["none", "minimal", "low", "medium", "high", "xhigh"]).toContain(level.effort);
    }
    expect(b.state.lastRequest("codex.models")).toMatchObject({
      status: 200,
      authScheme: "bearer",
      body: { client_version: "0.169.0" },
    });
  });

  it("lists the configured models, highest priority first", async () => {
    const { b, token } = await start({ models: ["gpt-main", "gpt-mini"] });
    const body = (await (await get(b, "/codex/models?client_version=1.2.3", token)).json()) as {
      models: { slug: string; priority: number }[];
    };
    expect(body.models.map((m) => [m.slug, m.priority])).toEqual([
      ["gpt-main", 1],
      ["gpt-mini", 2],
    ]);
  });

  it.each([
    ["no client_version", "/codex/models", 400],
    ["a client_version that is not a version", "/codex/models?client_version=latest", 400],
  ])("answers %s with %i", async (_name, path, status) => {
    const { b, token } = await start();
    const res = await get(b, path, token);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
  });
});

describe("start-up endpoints of the ChatGPT-mode client", () => {
  it("lists no installed plugin, one page, and records the query", async () => {
    const { b, token } = await start();
    const res = await get(b, "/ps/plugins/installed?limit=200&includeDownloadUrls=true", token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ plugins: [], pagination: { next_page_token: null } });
    expect(b.state.lastRequest("plugins.installed")?.body).toEqual({
      limit: "200",
      includeDownloadUrls: "true",
    });
  });

  it("suggests no plugin", async () => {
    const { b, token } = await start();
    const res = await get(b, "/ps/plugins/suggested/codex?scope=GLOBAL", token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ plugins: [], enabled: true });
  });

  it("checks the signed-in account as the only workspace", async () => {
    const { b, token } = await start({ account: { chatgptAccountId: "acct-x", planType: "pro" } });
    const res = await get(b, "/wham/accounts/check", token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      accounts: Record<string, { account: Record<string, unknown> }>;
      account_ordering: string[];
    };
    expect(body.account_ordering).toEqual(["acct-x"]);
    expect(body.accounts["acct-x"]?.account).toMatchObject({
      account_id: "acct-x",
      plan_type: "pro",
      is_default: true,
    });
  });

  it("names a workspace backend origin in the account check (list form) only when configured", async () => {
    const { b, token } = await start({
      account: { chatgptAccountId: "acct-o", workspaceBackendOrigin: "https://127.0.0.1" },
    });
    const body = (await (await get(b, "/wham/accounts/check", token)).json()) as {
      accounts: Array<Record<string, unknown>>;
    };
    expect(body.accounts).toEqual([
      expect.objectContaining({
        id: "acct-o",
        workspace_backend_origin: "https://127.0.0.1",
        account_routing_override: "NO_CONSTRAINT",
      }),
    ]);
    const plain = await start();
    const plainBody = (await (await get(plain.b, "/wham/accounts/check", plain.token)).json()) as {
      accounts: Record<string, { account: Record<string, unknown> }>;
    };
    expect(Object.values(plainBody.accounts)[0]?.account).not.toHaveProperty(
      "workspace_backend_origin",
    );
  });

  it("reports the rate limits in the usage shape", async () => {
    const { b, token } = await start({
      now: () => 1_000_000_000_000,
      rateLimits: { primary: { usedPercent: 12, windowMinutes: 300, resetAfterSeconds: 60 } },
    });
    const res = await get(b, "/wham/usage", token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      plan_type: "plus",
      rate_limit: {
        allowed: true,
        limit_reached: false,
        primary_window: {
          used_percent: 12,
          limit_window_seconds: 18_000,
          reset_after_seconds: 60,
          reset_at: 1_000_000_060,
        },
        secondary_window: null,
      },
      credits: null,
    });
  });

  it("answers the user settings with commit attribution off", async () => {
    const { b, token } = await start();
    const res = await get(b, "/wham/settings/user", token);
    expect(await res.json()).toEqual({ commit_attribution_enabled: false });
  });

  it("accepts an analytics batch and records it", async () => {
    const { b, token } = await start();
    const batch = { events: [{ event_type: "codex_turn", event_params: { n: 1 } }] };
    const res = await post(b, "/codex/analytics-events/events", JSON.stringify(batch), token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(b.state.lastRequest("codex.analytics_events")?.body).toEqual(batch);
    const bad = await post(b, "/codex/analytics-events/events", "{", token);
    expect(bad.status).toBe(400);
  });

  it.each([
    ["GET", "/codex/models?client_version=0.169.0"],
    ["GET", "/ps/plugins/installed?limit=200"],
    ["GET", "/ps/plugins/suggested/codex?scope=GLOBAL"],
    ["GET", "/wham/accounts/check"],
    ["GET", "/wham/usage"],
    ["GET", "/wham/settings/user"],
    ["POST", "/codex/analytics-events/events"],
  ])("refuses %s %s without a valid access token", async (method, path) => {
    const { b } = await start();
    for (const token of [undefined, "not-a-token"]) {
      const res = method === "GET" ? await get(b, path, token) : await post(b, path, "{}", token);
      expect(res.status).toBe(401);
    }
  });

  it.each([
    ["POST", "/codex/models"],
    ["POST", "/wham/settings/user"],
    ["GET", "/codex/analytics-events/events"],
  ])("answers %s %s with 405", async (method, path) => {
    const { b, token } = await start();
    const res = method === "GET" ? await get(b, path, token) : await post(b, path, "{}", token);
    expect(res.status).toBe(405);
  });
});

describe("POST /backend-api/ps/mcp (the Codex Apps MCP server)", () => {
  const rpc = (b: FakeBackend, message: unknown) => post(b, "/ps/mcp", JSON.stringify(message));

  it("initializes, takes the initialized notification and lists nothing", async () => {
    const { b } = await start();
    const init = await rpc(b, {
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t" } },
    });
    expect(init.status).toBe(200);
    expect(init.headers.get("mcp-session-id")).toMatch(/^mcp_/);
    expect(await init.json()).toMatchObject({
      jsonrpc: "2.0",
      id: 0,
      result: { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: {} },
    });

    const note = await rpc(b, { jsonrpc: "2.0", method: "notifications/initialized" });
    expect(note.status).toBe(202);
    expect(await note.text()).toBe("");

    for (const [method, key] of [
      ["tools/list", "tools"],
      ["resources/list", "resources"],
      ["resources/templates/list", "resourceTemplates"],
    ] as const) {
      const res = await rpc(b, { jsonrpc: "2.0", id: method, method });
      expect(await res.json()).toEqual({ jsonrpc: "2.0", id: method, result: { [key]: [] } });
    }
    expect(b.state.requestsTo("apps.mcp").map((r) => r.status)).toEqual([200, 202, 200, 200, 200]);
  });

  it("answers an unknown method with a JSON-RPC error", async () => {
    const { b } = await start();
    const res = await rpc(b, { jsonrpc: "2.0", id: 7, method: "tools/call" });
    expect(await res.json()).toEqual({
      jsonrpc: "2.0",
      id: 7,
      error: { code: -32601, message: "method not found" },
    });
  });

  it.each([
    ["invalid JSON", "{", "invalid_json"],
    ["not JSON-RPC 2.0", JSON.stringify({ jsonrpc: "1.0", id: 1, method: "x" }), "invalid_request"],
    ["no method", JSON.stringify({ jsonrpc: "2.0", id: 1 }), "invalid_request"],
  ])("refuses %s with 400", async (_name, body, code) => {
    const { b } = await start();
    const res = await post(b, "/ps/mcp", body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it("has no server event stream (GET answers 405)", async () => {
    const { b } = await start();
    expect((await get(b, "/ps/mcp")).status).toBe(405);
  });
});

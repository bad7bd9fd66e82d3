import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestRecord } from "../fake-backend-state.js";
import type { BackendContext } from "./backend-context.js";
import { HttpProblem, parseJsonObject, readBody, sendJson } from "./http-io.js";
import { jsonRpcMessage, parseBody } from "./request-bodies.js";
import { verifyAuthorization } from "./request-verification.js";

/**
 * The endpoints the real Codex CLI (0.169) calls in ChatGPT mode besides Responses: the model
 * catalog, the plugin service, the Codex Apps MCP server, the account check, user settings and
 * analytics. Each gets the smallest answer the client accepts without logging an error.
 */

const SMALL_BODY_LIMIT = 1024 * 1024;
const MCP_PROTOCOL_VERSION = "2025-06-18";

/** 401 unless the request carries a valid ChatGPT access token or a verified AgentAssertion. */
export function requireChatgptAuth(
  context: BackendContext,
  req: IncomingMessage,
  record: RequestRecord,
): void {
  const auth = verifyAuthorization(context, req, "chatgpt");
  Object.assign(record, auth);
  if (auth.authScheme === "bearer" && auth.bearer?.valid === true) return;
  if (auth.authScheme === "agent-assertion" && auth.assertion?.verified === true) return;
  throw new HttpProblem(401, "invalid_token", "a valid ChatGPT access token is required");
}

/** One entry of the upstream `ModelsResponse.models` (`codex-rs` `ModelInfo`). */
export function modelInfo(slug: string, priority: number): Record<string, unknown> {
  return {
    slug,
    display_name: slug,
    description: "A scripted model served by the Codex fake backend.",
    default_reasoning_level: "medium",
    supported_reasoning_levels: [
      { effort: "low", description: "Fast responses with lighter reasoning" },
      { effort: "medium", description: "Balances speed and reasoning depth" },
      { effort: "high", description: "Greater reasoning depth" },
    ],
    shell_type: "shell_command",
    visibility: "list",
    supported_in_api: true,
    priority,
    upgrade: null,
    base_instructions: "You are a scripted model behind the Codex fake backend.",
    supports_reasoning_summaries: false,
    support_verbosity: false,
    default_verbosity: null,
    apply_patch_tool_type: "freeform",
    truncation_policy: { mode: "tokens", limit: 10_000 },
    supports_parallel_tool_calls: false,
    context_window: 272_000,
    experimental_supported_tools: [],
    input_modalities: ["text", "image"],
  };
}

/**
 * `GET /backend-api/codex/models?client_version=X.Y.Z`: `{ models: [ModelInfo…] }` with an
 * `etag`, one entry per configured model slug.
 */
export function handleModels(
  context: BackendContext,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
  record: RequestRecord,
): void {
  requireChatgptAuth(context, req, record);
  const clientVersion = url.searchParams.get("client_version");
  record.body = Object.fromEntries(url.searchParams);
  if (clientVersion === null || !/^\d+\.\d+\.\d+/.test(clientVersion)) {
    throw new HttpProblem(400, "invalid_request", "client_version must be a version like 0.169.0");
  }
  const models = context.options.models.map((slug, index) => modelInfo(slug, index + 1));
  sendJson(res, 200, { models }, { etag: `"fake-models-${context.options.models.length}"` });
}

/** `GET /backend-api/ps/plugins/installed`: no plugin installed, one page. */
export function handlePluginsInstalled(
  context: BackendContext,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
  record: RequestRecord,
): void {
  requireChatgptAuth(context, req, record);
  record.body = Object.fromEntries(url.searchParams);
  sendJson(res, 200, { plugins: [], pagination: { next_page_token: null } });
}

/** `GET /backend-api/ps/plugins/suggested/codex`: suggestions enabled, none suggested. */
export function handlePluginsSuggested(
  context: BackendContext,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
  record: RequestRecord,
): void {
  requireChatgptAuth(context, req, record);
  record.body = Object.fromEntries(url.searchParams);
  sendJson(res, 200, { plugins: [], enabled: true });
}

/**
 * `GET /backend-api/wham/accounts/check`: the signed-in account as the only workspace. With
 * `account.workspaceBackendOrigin`, in the list form 0.169's workspace routing discovery reads
 * (`{accounts: [{id, workspace_backend_origin, account_routing_override, name, …}]}`); otherwise
 * in the map form, whose entries 0.169 finds without a backend origin.
 */
export function handleAccountsCheck(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
): void {
  requireChatgptAuth(context, req, record);
  const account = context.options.account;
  const entry = {
    account_id: account.chatgptAccountId,
    account_user_id: `${account.chatgptUserId}__${account.chatgptAccountId}`,
    name: account.workspaceName,
    plan_type: account.planType,
    structure: "personal",
    is_default: true,
  };
  if (account.workspaceBackendOrigin !== undefined) {
    sendJson(res, 200, {
      accounts: [
        {
          id: account.chatgptAccountId,
          ...entry,
          workspace_backend_origin: account.workspaceBackendOrigin,
          account_routing_override: "NO_CONSTRAINT",
        },
      ],
      account_ordering: [account.chatgptAccountId],
    });
    return;
  }
  sendJson(res, 200, {
    accounts: { [account.chatgptAccountId]: { account: entry } },
    account_ordering: [account.chatgptAccountId],
  });
}

/**
 * `GET /backend-api/wham/usage`: the `rateLimits` option in the backend's usage shape
 * (`rate_limit.primary_window` with `used_percent`, `limit_window_seconds`, `reset_at`, …).
 */
export function handleUsage(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
): void {
  requireChatgptAuth(context, req, record);
  const limits = context.options.rateLimits;
  const nowSeconds = Math.floor(context.options.now() / 1000);
  const window = (
    w: { usedPercent: number; windowMinutes: number; resetAfterSeconds: number } | undefined,
  ) =>
    w === undefined
      ? null
      : {
          used_percent: Math.round(w.usedPercent),
          limit_window_seconds: w.windowMinutes * 60,
          reset_after_seconds: w.resetAfterSeconds,
          reset_at: nowSeconds + w.resetAfterSeconds,
        };
  sendJson(res, 200, {
    plan_type: context.options.account.planType,
    rate_limit:
      limits === false
        ? null
        : {
            allowed: true,
            limit_reached: false,
            primary_window: window(limits.primary),
            secondary_window: window(limits.secondary),
          },
    credits:
      limits === false || limits.credits === undefined
        ? null
        : {
            has_credits: limits.credits.hasCredits,
            unlimited: limits.credits.unlimited,
            balance: limits.credits.balance ?? null,
          },
  });
}

/** `GET /backend-api/wham/settings/user`: commit attribution off. */
export function handleUserSettings(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
): void {
  requireChatgptAuth(context, req, record);
  sendJson(res, 200, { commit_attribution_enabled: false });
}

/** `POST /backend-api/codex/analytics-events/events`: records the batch, answers `{}`. */
export async function handleAnalyticsEvents(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
): Promise<void> {
  requireChatgptAuth(context, req, record);
  record.body = parseJsonObject(
    await readBody(req, Math.min(SMALL_BODY_LIMIT, context.options.maxBodyBytes)),
  );
  sendJson(res, 200, {});
}

/** Results of the MCP methods the client calls at start-up: an Apps server with nothing in it. */
function mcpResult(method: string, params: unknown): Record<string, unknown> | undefined {
  switch (method) {
    case "initialize": {
      const requested =
        typeof params === "object" && params !== null && "protocolVersion" in params
          ? params.protocolVersion
          : undefined;
      return {
        protocolVersion: typeof requested === "string" ? requested : MCP_PROTOCOL_VERSION,
        capabilities: { tools: { listChanged: false }, resources: {} },
        serverInfo: { name: "codex-fake-backend-apps", version: "0.0.0" },
      };
    }
    case "ping":
      return {};
    case "tools/list":
      return { tools: [] };
    case "resources/list":
      return { resources: [] };
    case "resources/templates/list":
      return { resourceTemplates: [] };
    case "prompts/list":
      return { prompts: [] };
    default:
      return undefined;
  }
}

/**
 * `POST /backend-api/ps/mcp`: the Codex Apps MCP server over streamable HTTP, answered as JSON.
 * Notifications get 202; unknown methods a JSON-RPC `-32601` error. `GET` (the optional server
 * event stream) answers 405 at the router, which MCP clients take as "no stream".
 */
export async function handleAppsMcp(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
): Promise<void> {
  // The 0.169 client calls this server without an Authorization header (its Apps MCP
  // credentials live in their own store), so the fake answers unauthenticated calls too.
  const body = parseJsonObject(
    await readBody(req, Math.min(SMALL_BODY_LIMIT, context.options.maxBodyBytes)),
  );
  record.body = body;
  const message = parseBody(jsonRpcMessage, body);
  const session = { "mcp-session-id": `mcp_${record.id}` };
  if (message.id === undefined) {
    res.writeHead(202, { "content-length": 0 });
    res.end();
    return;
  }
  const result = mcpResult(message.method, message.params);
  if (result === undefined) {
    sendJson(
      res,
      200,
      {
        jsonrpc: "2.0",
        id: message.id,
        error: { code: -32601, message: "method not found" },
      },
      session,
    );
    return;
  }
  sendJson(res, 200, { jsonrpc: "2.0", id: message.id, result }, session);
}

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { FakeBackendError } from "./fake-backend-error.js";
import {
  type FakeAccount,
  type FakeBackendOptions,
  resolveOptions,
} from "./fake-backend-options.js";
import { type AuthScheme, type EndpointName, FakeBackendState } from "./fake-backend-state.js";
import { createAgentCrypto } from "./internal/agent-crypto.js";
import {
  handleAgentRegister,
  handleAuthenticateApp,
  handleTaskRegister,
} from "./internal/agent-endpoints.js";
import { type BackendContext, recordRequest } from "./internal/backend-context.js";
import {
  handleAccountsCheck,
  handleAnalyticsEvents,
  handleAppsMcp,
  handleModels,
  handlePluginsInstalled,
  handlePluginsSuggested,
  handleUsage,
  handleUserSettings,
} from "./internal/codex-endpoints.js";
import { HttpProblem, sendError } from "./internal/http-io.js";
import { IssuerStore, type TokenSet } from "./internal/issuer-store.js";
import {
  handleAuthorize,
  handleDevicePage,
  handleDeviceToken,
  handleDeviceUserCode,
  handleRevoke,
  handleToken,
} from "./internal/oauth-issuer.js";
import { type Surface, verifyAuthorization } from "./internal/request-verification.js";
import { handleCompact, handleResponsesHttp } from "./internal/responses-http.js";
import { ResponsesWebSocket, rejectUpgrade } from "./internal/responses-websocket.js";
import { type ResponseScript, validateScript } from "./response-script.js";

/** A running fake backend. */
export interface FakeBackend {
  /** `http://127.0.0.1:{port}`. */
  readonly url: string;
  /** The OAuth issuer (`{issuer}/oauth/authorize`, `/oauth/token`, `/oauth/revoke`, `/api/accounts/deviceauth/*`); equals `url`. */
  readonly issuerUrl: string;
  /** `{url}/backend-api`: `authenticate_app_v2`, `v1/agent/*`, `codex/responses`. */
  readonly chatgptBaseUrl: string;
  /** `{url}/v1`: the OpenAI API (`/responses`) for API keys. */
  readonly openaiBaseUrl: string;
  /** The port listened on. */
  readonly port: number;
  /** The OAuth client id accepted. */
  readonly clientId: string;
  /** The signed-in account. */
  readonly account: FakeAccount;
  /** Everything observed: requests with their verification, agents, tasks, grants, revocations. */
  readonly state: FakeBackendState;
  /**
   * Queues scripts: each Responses call (HTTP request or WebSocket `response.create`) takes the
   * next one; `websocket_handshake` scripts are taken by the next WebSocket upgrade instead.
   * Throws `FakeBackendError` (`invalid_script`) for a malformed script.
   */
  enqueue(...scripts: ResponseScript[]): void;
  /** Scripts still queued (responses + handshakes). */
  pendingScripts(): number;
  /** Mints a token set for the account without the browser flow (as a login would store it). */
  issueTokens(): TokenSet;
  /** Releases every stalled stream by closing its connection. */
  releaseStalls(): void;
  /** Stops listening, closes every connection; resolves when the server is down. Idempotent. */
  close(): Promise<void>;
}

type Route =
  | {
      endpoint: EndpointName;
      kind:
        | "authorize"
        | "token"
        | "revoke"
        | "device_usercode"
        | "device_token"
        | "device_page"
        | "authenticate"
        | "agent_register"
        | "models"
        | "plugins_installed"
        | "plugins_suggested"
        | "accounts_check"
        | "usage"
        | "user_settings"
        | "analytics_events"
        | "apps_mcp"
        | "not_found";
    }
  | { endpoint: EndpointName; kind: "task_register"; agentRuntimeId: string }
  | { endpoint: EndpointName; kind: "responses" | "compact"; surface: Surface };

const GET_KINDS = new Set<Route["kind"]>([
  "authorize",
  "device_page",
  "authenticate",
  "models",
  "plugins_installed",
  "plugins_suggested",
  "accounts_check",
  "usage",
  "user_settings",
]);

const TASK_REGISTER = /^\/backend-api\/v1\/agent\/([^/]+)\/task\/register$/;

function route(method: string, path: string): { route: Route; method: string } {
  const fixed: Record<string, Route> = {
    "/oauth/authorize": { endpoint: "oauth.authorize", kind: "authorize" },
    "/oauth/token": { endpoint: "oauth.token", kind: "token" },
    "/oauth/revoke": { endpoint: "oauth.revoke", kind: "revoke" },
    "/api/accounts/deviceauth/usercode": {
      endpoint: "deviceauth.usercode",
      kind: "device_usercode",
    },
    "/api/accounts/deviceauth/token": { endpoint: "deviceauth.token", kind: "device_token" },
    "/codex/device": { endpoint: "deviceauth.page", kind: "device_page" },
    "/backend-api/authenticate_app_v2": { endpoint: "authenticate_app_v2", kind: "authenticate" },
    "/backend-api/v1/agent/register": { endpoint: "agent.register", kind: "agent_register" },
    "/backend-api/codex/responses": {
      endpoint: "codex.responses",
      kind: "responses",
      surface: "chatgpt",
    },
    "/backend-api/codex/responses/compact": {
      endpoint: "codex.responses.compact",
      kind: "compact",
      surface: "chatgpt",
    },
    "/v1/responses": { endpoint: "openai.responses", kind: "responses", surface: "openai" },
    "/v1/responses/compact": {
      endpoint: "openai.responses.compact",
      kind: "compact",
      surface: "openai",
    },
    "/backend-api/codex/models": { endpoint: "codex.models", kind: "models" },
    "/backend-api/codex/analytics-events/events": {
      endpoint: "codex.analytics_events",
      kind: "analytics_events",
    },
    "/backend-api/ps/plugins/installed": {
      endpoint: "plugins.installed",
      kind: "plugins_installed",
    },
    "/backend-api/ps/plugins/suggested/codex": {
      endpoint: "plugins.suggested",
      kind: "plugins_suggested",
    },
    "/backend-api/ps/mcp": { endpoint: "apps.mcp", kind: "apps_mcp" },
    "/backend-api/wham/accounts/check": { endpoint: "accounts.check", kind: "accounts_check" },
    "/backend-api/wham/settings/user": { endpoint: "settings.user", kind: "user_settings" },
    "/backend-api/wham/usage": { endpoint: "wham.usage", kind: "usage" },
  };
  const found = fixed[path];
  if (found !== undefined) {
    const expected = GET_KINDS.has(found.kind) ? "GET" : "POST";
    return { route: found, method: expected };
  }
  const task = TASK_REGISTER.exec(path);
  if (task !== null) {
    let agentRuntimeId: string;
    try {
      agentRuntimeId = decodeURIComponent(task[1]!);
    } catch {
      agentRuntimeId = task[1]!;
    }
    return {
      route: { endpoint: "agent.task.register", kind: "task_register", agentRuntimeId },
      method: "POST",
    };
  }
  return { route: { endpoint: "not_found", kind: "not_found" }, method };
}

function schemeOf(req: IncomingMessage): AuthScheme {
  const header = req.headers.authorization;
  if (header === undefined || header === "") return "none";
  if (header.startsWith("Bearer ")) return "bearer";
  if (header.startsWith("AgentAssertion ")) return "agent-assertion";
  return "other";
}

function pathOf(req: IncomingMessage): { path: string; url: URL } | undefined {
  try {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    return { path: url.pathname, url };
  } catch {
    return undefined;
  }
}

async function dispatch(
  context: BackendContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const parsed = pathOf(req);
  if (parsed === undefined)
    throw new HttpProblem(400, "invalid_request", "the request target is not a valid URL");
  const { path, url } = parsed;
  const { route: target, method } = route(req.method ?? "GET", path);
  const auth =
    target.kind === "responses" || target.kind === "compact"
      ? verifyAuthorization(context, req, target.surface)
      : { authScheme: schemeOf(req) };
  const record = recordRequest(context, req, target.endpoint, path, "http", auth);
  res.on("finish", () => {
    if (record.status === 0) record.status = res.statusCode;
    context.options.logger.debug("answered", {
      method: record.method,
      path,
      endpoint: record.endpoint,
      status: res.statusCode,
    });
  });
  if (target.kind === "not_found") {
    context.options.logger.warn("no such endpoint on the fake backend", {
      method: record.method,
      path,
    });
    req.resume();
    throw new HttpProblem(404, "not_found", "no such endpoint on the fake backend");
  }
  if (req.method !== method) {
    req.resume();
    throw new HttpProblem(405, "method_not_allowed", `use ${method}`, { allow: method });
  }
  switch (target.kind) {
    case "authorize":
      return handleAuthorize(context, url, res, record);
    case "token":
      return handleToken(context, req, res, record);
    case "revoke":
      return handleRevoke(context, req, res, record);
    case "device_usercode":
      return handleDeviceUserCode(context, req, res, record);
    case "device_token":
      return handleDeviceToken(context, req, res, record);
    case "device_page":
      return handleDevicePage(res);
    case "authenticate":
      return handleAuthenticateApp(context, req, res, record);
    case "agent_register":
      return handleAgentRegister(context, req, res, record, path);
    case "task_register":
      return handleTaskRegister(context, req, res, record, path, target.agentRuntimeId);
    case "responses":
      return handleResponsesHttp(context, req, res, record, target.surface);
    case "compact":
      return handleCompact(context, req, res, record, target.surface);
    case "models":
      return handleModels(context, req, url, res, record);
    case "plugins_installed":
      return handlePluginsInstalled(context, req, url, res, record);
    case "plugins_suggested":
      return handlePluginsSuggested(context, req, url, res, record);
    case "accounts_check":
      return handleAccountsCheck(context, req, res, record);
    case "user_settings":
      return handleUserSettings(context, req, res, record);
    case "usage":
      return handleUsage(context, req, res, record);
    case "analytics_events":
      return handleAnalyticsEvents(context, req, res, record);
    case "apps_mcp":
      return handleAppsMcp(context, req, res, record);
  }
}

function answerProblem(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpProblem) {
    sendError(res, error.status, error.errorCode, error.message, error.headers);
    return;
  }
  sendError(res, 500, "internal_error", "the fake backend failed to handle the request");
}

/**
 * Starts the fake ChatGPT / OpenAI backend on 127.0.0.1.
 *
 * @example
 * ```ts
 * const backend = await startFakeBackend({ account: { planType: "pro" } });
 * const res = await fetch(`${backend.openaiBaseUrl}/responses`, {
 *   method: "POST",
 *   headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
 *   body: JSON.stringify({ model: "gpt-test", input: [{ role: "user", content: "hi" }] }),
 * });
 * await backend.close();
 * ```
 */
export async function startFakeBackend(options: FakeBackendOptions = {}): Promise<FakeBackend> {
  const resolved = resolveOptions(options);
  if (resolved.defaultScript !== undefined) validateScript(resolved.defaultScript);
  let context: BackendContext | undefined;
  let websocket: ResponsesWebSocket | undefined;
  const sockets = new Set<Socket>();

  const server = createServer({ keepAlive: true }, (req, res) => {
    if (context === undefined) {
      sendError(res, 503, "starting", "the fake backend is starting");
      return;
    }
    const ctx = context;
    dispatch(ctx, req, res).catch((error: unknown) => {
      if (!(error instanceof HttpProblem)) {
        ctx.options.logger.error("a fake backend handler failed", {
          path: req.url?.split("?")[0],
          error: error instanceof Error ? error.message : String(error),
        });
      }
      answerProblem(res, error);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.destroy();
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    if (context === undefined || websocket === undefined) {
      socket.destroy();
      return;
    }
    const parsed = pathOf(req);
    const target = parsed === undefined ? undefined : route("GET", parsed.path).route;
    if (parsed === undefined || target === undefined || target.kind !== "responses") {
      rejectUpgrade(socket, 404, {
        error: {
          message: "no WebSocket endpoint here",
          type: "invalid_request_error",
          param: null,
          code: "not_found",
        },
      });
      return;
    }
    const auth = verifyAuthorization(context, req, target.surface);
    const record = recordRequest(context, req, target.endpoint, parsed.path, "websocket", auth);
    try {
      websocket.upgrade(req, socket, head, record, target.surface);
    } catch {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) =>
      reject(
        new FakeBackendError("listen_failed", "the fake backend could not listen on 127.0.0.1", {
          cause: error,
        }),
      );
    server.once("error", onError);
    server.listen(resolved.port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") {
    server.close();
    throw new FakeBackendError("listen_failed", "the fake backend has no TCP address");
  }
  const url = `http://127.0.0.1:${address.port}`;
  const state = new FakeBackendState(resolved.maxRecordedRequests);
  const issuer = new IssuerStore({
    issuer: url,
    clientId: resolved.clientId,
    account: resolved.account,
    now: resolved.now,
    randomBytes: resolved.randomBytes,
    accessTokenTtlSeconds: resolved.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: resolved.refreshTokenTtlSeconds,
    authorizationCodeTtlSeconds: resolved.authorizationCodeTtlSeconds,
    deviceCodeTtlSeconds: 15 * 60,
    devicePendingPolls: resolved.deviceAuth.pendingPolls,
    deviceSlowDownPolls: resolved.deviceAuth.slowDownPolls,
  });
  const ctx: BackendContext = {
    options: resolved,
    state,
    issuer,
    crypto: createAgentCrypto(),
    queues: { responses: [], handshakes: [] },
    biscuits: new Map(),
    baseUrl: url,
    counters: { request: 0, response: 0, item: 0, turnState: 0 },
    responses: new Map(),
    stalls: new Set(),
  };
  context = ctx;
  websocket = new ResponsesWebSocket(ctx);
  const ws = websocket;

  const releaseStalls = () => {
    for (const release of [...ctx.stalls]) release();
  };
  let closing: Promise<void> | undefined;
  return {
    url,
    issuerUrl: url,
    chatgptBaseUrl: `${url}/backend-api`,
    openaiBaseUrl: `${url}/v1`,
    port: address.port,
    clientId: resolved.clientId,
    account: resolved.account,
    state,
    enqueue(...scripts) {
      const checked = scripts.map((script) => validateScript(script));
      for (const script of checked) {
        if (script.kind === "websocket_handshake") ctx.queues.handshakes.push(script);
        else ctx.queues.responses.push(script);
      }
    },
    pendingScripts() {
      return ctx.queues.responses.length + ctx.queues.handshakes.length;
    },
    issueTokens() {
      return issuer.mint();
    },
    releaseStalls,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        releaseStalls();
        ws.close();
        server.close((error) => {
          if (error !== undefined)
            reject(
              new FakeBackendError("close_failed", "the fake backend did not close cleanly", {
                cause: error,
              }),
            );
          else resolve();
        });
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

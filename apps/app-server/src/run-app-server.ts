import type { Readable, Writable } from "node:stream";
import {
  AppServerProtocolError,
  alreadyInitializedError,
  createServerPeer,
  INVALID_REQUEST_ERROR_CODE,
  METHOD_NOT_FOUND_ERROR_CODE,
  notInitializedError,
  type ProtocolPeer,
  type RequestHandlers,
} from "@codex/app-server-protocol";
import type { CodexConfig } from "@codex/config";
import { createHttpClient, type HttpClient } from "@codex/http";
import { AuthManager } from "@codex/login";
import type { AttestationProvider } from "@codex/model-client";
import { type Logger, silentLogger } from "@codex/wire";
import { accountHandlers, type Notify } from "./account-handlers.js";
import { AppServerError } from "./app-server-error.js";
import { attestationBridge } from "./attestation-bridge.js";
import { withEnvKnobs } from "./env-knobs.js";
import { externalAuthBridge } from "./external-auth-bridge.js";
import { engineThreadSurface } from "./thread-handlers.js";
import { isHeaderValue, userAgent } from "./user-agent.js";

/** Deadline of the client's answer to `account/chatgptAuthTokens/refresh` (0.169: 10 s). */
export const DEFAULT_EXTERNAL_REFRESH_TIMEOUT_MS = 10_000;

/** What a connection negotiated in `initialize`; handed to the thread engine factory. */
export interface ConnectionSession {
  readonly config: CodexConfig;
  readonly auth: AuthManager;
  /** `clientInfo.name`. */
  readonly originator: string;
  readonly userAgent: string;
  /** Present only when the client initialized with `requestAttestation: true`. */
  readonly attestation: AttestationProvider | undefined;
  readonly experimentalApi: boolean;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  /** Sends a server notification (opted-out methods are dropped). */
  readonly notify: Notify;
  /** Runs `task` once the reply of the current request has been written. */
  afterReply(task: () => Promise<void> | void): void;
}

/**
 * The thread/turn surface of a connection (`thread/start`, `turn/start`, `turn/interrupt`), built
 * once the connection is initialized. `close` cancels running turns and flushes rollouts.
 */
export interface ThreadSurface {
  readonly handlers: RequestHandlers<"server">;
  close(): Promise<void>;
}

/** Options of {@link runAppServer}. */
export interface RunAppServerOptions {
  /** Newline-delimited JSON from the client. */
  readonly stdin: Readable;
  /** Newline-delimited JSON to the client. */
  readonly stdout: Writable;
  /** The loaded configuration (`@codex/config`). */
  readonly config: CodexConfig;
  /**
   * Environment (default `process.env`): `CODEX_API_KEY`, proxies, the terminal of the user agent,
   * and the knobs that default the three options below when they are absent.
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Logger for what the server drops or fails on (default silent; see `appServerLogger`). Never given a secret. */
  readonly logger?: Logger;
  /**
   * Deadline of `account/chatgptAuthTokens/refresh` in ms (default: env
   * `CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS`, else 10 000, as 0.169).
   */
  readonly externalRefreshTimeoutMs?: number;
  /**
   * OAuth issuer of the browser and device-code logins (default: env
   * `CODEX_APP_SERVER_LOGIN_ISSUER`, else `https://auth.openai.com`).
   */
  readonly loginIssuer?: string;
  /**
   * Loopback port of the browser login (default: env `CODEX_APP_SERVER_LOGIN_PORT`, else 1455,
   * upstream's; 0 = any free port).
   */
  readonly browserLoginPort?: number;
  /** HTTP client of the ChatGPT backend calls (default: `@codex/http` over the shared dispatcher). */
  readonly http?: HttpClient;
  /**
   * Builds the thread/turn surface of an initialized connection (default: the thread engine of
   * `src/threads/`; `null`: none, those methods answer `-32601 Method not handled`).
   */
  readonly threads?: ((session: ConnectionSession) => ThreadSurface) | null;
  /** Clock of `emittedAtMs` (default `Date.now`). */
  readonly now?: () => number;
}

/** A running app-server connection. */
export interface AppServer {
  /** Resolves once the client disconnected (or {@link close} ran) and everything is drained. */
  readonly closed: Promise<void>;
  /** Drains: cancels running turns and pending server requests, flushes rollouts, ends stdout. */
  close(): Promise<void>;
}

/** Server → client request ids: one process-wide counter from 0, as 0.169 numbers them. */
let nextServerRequestId = 0;

function platformOs(): string {
  if (process.platform === "darwin") return "macos";
  if (process.platform === "win32") return "windows";
  return process.platform;
}

function checkOptions(options: RunAppServerOptions): void {
  if (options === null || typeof options !== "object") {
    throw new AppServerError("invalid_options", "options must be an object");
  }
  if (options.stdin === undefined || options.stdout === undefined) {
    throw new AppServerError("invalid_options", "stdin and stdout are required");
  }
  if (options.config === undefined || typeof options.config.codexHome !== "string") {
    throw new AppServerError("invalid_options", "config must be a loaded CodexConfig");
  }
  const timeout = options.externalRefreshTimeoutMs;
  if (timeout !== undefined && (!Number.isSafeInteger(timeout) || timeout <= 0)) {
    throw new AppServerError(
      "invalid_options",
      "externalRefreshTimeoutMs must be a positive integer",
    );
  }
}

/**
 * Serves one app-server connection over a pair of streams (the `codex-app-server` binary passes
 * stdin/stdout): 0.169's envelope and lifecycle (`initialize` with capability checks, `Not
 * initialized`, `Already initialized`), the account methods, the ChatGPT-token refresh and the
 * attestation requests to the client, and the thread surface given by `threads`. Bad input never
 * ends the process; a disconnect cancels running turns and pending server requests.
 *
 * @throws {AppServerError} `invalid_options` for bad options or a malformed environment knob
 *   (`CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS`, `CODEX_APP_SERVER_LOGIN_ISSUER`,
 *   `CODEX_APP_SERVER_LOGIN_PORT`; only read when the matching option is absent).
 *
 * @example
 * const server = await runAppServer({ stdin: process.stdin, stdout: process.stdout, config: await loadConfig() });
 * process.on("SIGTERM", () => void server.close());
 * await server.closed;
 */
export async function runAppServer(options: RunAppServerOptions): Promise<AppServer> {
  checkOptions(options);
  const { config } = options;
  const env = options.env ?? process.env;
  const { externalRefreshTimeoutMs, loginIssuer, browserLoginPort } = withEnvKnobs(options, env);
  const logger = options.logger ?? silentLogger;
  const http = options.http ?? createHttpClient({ logger });
  let state: "new" | "initializing" | "ready" = "new";
  let optOut = new Set<string>();
  let threads: ThreadSurface | undefined;
  let accounts: ReturnType<typeof accountHandlers> | undefined;
  const handlers: RequestHandlers<"server"> = {};
  let pendingInitializes = 0;
  let initializing: Promise<void> = Promise.resolve();
  // Every method but initialize waits for a pending initialize, then runs the handler installed
  // by it (or answers -32601 when this server does not handle the method).
  const dispatcher = new Proxy(handlers, {
    get: (_target, method) => {
      if (typeof method !== "string") return undefined;
      if (method === "initialize") return initialize;
      return async (params: unknown, context: unknown) => {
        await initializing;
        if (state !== "ready") throw AppServerProtocolError.rpc(-32600, "Not initialized");
        const handler = (handlers as Record<string, unknown>)[method] as
          | ((params: unknown, context: unknown) => unknown)
          | undefined;
        if (handler === undefined) {
          throw AppServerProtocolError.rpc(
            METHOD_NOT_FOUND_ERROR_CODE,
            `Method not handled: ${method}`,
          );
        }
        return handler(params, context);
      };
    },
  }) as RequestHandlers<"server">;

  const peer: ProtocolPeer<"server"> = createServerPeer({
    input: options.stdin,
    output: options.stdout,
    logger,
    nextRequestId: () => nextServerRequestId++,
    ...(options.now === undefined ? {} : { now: options.now }),
    requestGate: ({ method }) => {
      if (method === "initialize") {
        if (state === "ready") return alreadyInitializedError();
        pendingInitializes++;
        return undefined;
      }
      // a request pipelined behind an initialize waits for it (upstream handles lines in order)
      return state !== "ready" && pendingInitializes === 0 ? notInitializedError() : undefined;
    },
    handlers: dispatcher,
  });

  const notify: Notify = (method, params) => {
    if (optOut.has(method) || peer.closed) return;
    try {
      peer.notify(method, params as never);
    } catch (error) {
      logger.warn("could not send notification", {
        method,
        error: error instanceof Error ? error.name : typeof error,
      });
    }
  };

  const afterReply = (task: () => Promise<void> | void) => {
    setImmediate(() => {
      Promise.resolve()
        .then(task)
        .catch((error: unknown) =>
          logger.warn("background task failed", {
            error: error instanceof Error ? error.name : typeof error,
          }),
        );
    });
  };

  const initialize: NonNullable<RequestHandlers<"server">["initialize"]> = async (params) => {
    const run = initializing.then(() => initializeNow(params));
    initializing = run.then(
      () => undefined,
      () => undefined,
    );
    try {
      return await run;
    } finally {
      pendingInitializes--;
    }
  };

  const initializeNow = async (params: Parameters<typeof initialize>[0]) => {
    if (state === "ready") throw AppServerProtocolError.rpc(-32600, "Already initialized");
    state = "initializing";
    try {
      const name = params.clientInfo.name;
      if (!isHeaderValue(name)) {
        throw AppServerProtocolError.rpc(
          INVALID_REQUEST_ERROR_CODE,
          `Invalid clientInfo.name: '${name}'. Must be a valid HTTP header value.`,
        );
      }
      const capabilities = params.capabilities ?? {};
      const agent = userAgent({
        originator: name,
        clientName: name,
        clientVersion: params.clientInfo.version,
        env,
      });
      const auth = await AuthManager.create({
        codexHome: config.codexHome,
        storeMode: config.cliAuthCredentialsStore,
        env,
        logger,
        originator: name,
        ...(loginIssuer === undefined ? {} : { issuer: loginIssuer }),
        forcedChatgptWorkspaceId: config.forcedChatgptWorkspaceId,
        forcedLoginMethod: config.forcedLoginMethod,
        externalRefreshTimeoutMs: externalRefreshTimeoutMs ?? DEFAULT_EXTERNAL_REFRESH_TIMEOUT_MS,
        chatgptBackend: {
          baseUrl: config.chatgptBaseUrl,
          mode: config.features.useAgentIdentity ? "enabled" : "disabled",
          extraAllowedHosts: config.agentIdentityAllowedHosts,
        },
        sessionSource: "vscode",
      });
      try {
        // as 0.169 does at start: stored credentials that break forced_login_method or
        // forced_chatgpt_workspace_id are logged out
        await auth.enforceLoginRestrictions();
      } catch (error) {
        logger.warn("stored credentials violate the login restrictions and were removed", {
          error: error instanceof Error ? error.name : typeof error,
        });
      }
      const experimentalApi = capabilities.experimentalApi === true;
      optOut = new Set(capabilities.optOutNotificationMethods ?? []);
      accounts = accountHandlers({
        auth,
        config,
        http,
        userAgent: agent,
        experimentalApi,
        externalAuth: externalAuthBridge(peer),
        browserLoginPort,
        logger,
        notify,
        afterReply,
      });
      Object.assign(handlers, accounts.handlers);
      const threadSurface = options.threads === undefined ? engineThreadSurface : options.threads;
      if (threadSurface !== null) {
        threads = threadSurface({
          config,
          auth,
          originator: name,
          userAgent: agent,
          attestation:
            capabilities.requestAttestation === true ? attestationBridge(peer) : undefined,
          experimentalApi,
          logger,
          env,
          notify,
          afterReply,
        });
        Object.assign(handlers, threads.handlers);
      }
      state = "ready";
      return {
        userAgent: agent,
        codexHome: config.codexHome,
        platformFamily: process.platform === "win32" ? "windows" : "unix",
        platformOs: platformOs(),
      };
    } catch (error) {
      state = "new";
      throw error;
    }
  };

  let closing: Promise<void> | undefined;
  const drain = (): Promise<void> => {
    closing ??= (async () => {
      accounts?.cancelActiveLogin();
      try {
        await threads?.close();
      } catch (error) {
        logger.warn("closing threads failed", {
          error: error instanceof Error ? error.name : typeof error,
        });
      }
    })();
    return closing;
  };

  const closed = peer.whenClosed.then(drain);
  return {
    closed,
    async close() {
      await drain();
      peer.close();
      await closed;
    },
  };
}

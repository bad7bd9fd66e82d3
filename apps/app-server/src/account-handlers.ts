import {
  AppServerProtocolError,
  INTERNAL_ERROR_CODE,
  INVALID_REQUEST_ERROR_CODE,
  type ParamsInput,
  type RequestContext,
  type RequestHandlers,
  type ServerNotificationTable,
} from "@codex/app-server-protocol";
import type { CodexConfig } from "@codex/config";
import type { HttpClient } from "@codex/http";
import {
  type AuthManager,
  type CodexAuth,
  type ExternalAuth,
  isLoginError,
  planTypeToString,
} from "@codex/login";
import type { Logger } from "@codex/wire";
import { AppServerError } from "./app-server-error.js";
import { wirePlanType } from "./plan-types.js";
import { readRateLimits } from "./rate-limits-read.js";
import { discoverWorkspaceRouting, type WorkspaceRouting } from "./workspace-routing.js";

/** Texts 0.169 answers with (kept verbatim). */
const EXTERNAL_AUTH_ACTIVE =
  "External auth is active. Use account/login/start (chatgptAuthTokens) to update it or account/logout to clear it.";
const API_KEY_DISABLED = "API key login is disabled. Use ChatGPT login instead.";
const CHATGPT_DISABLED = "ChatGPT login is disabled. Use API key login instead.";
const EXTERNAL_DISABLED = "External ChatGPT auth is disabled. Use API key login instead.";
const EXPERIMENTAL_REQUIRED =
  "account/login/start.chatgptAuthTokens requires experimentalApi capability";
const LOGIN_NOT_COMPLETED = "Login server error: Login was not completed";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Sends a server notification (the connection drops opted-out methods). */
export type Notify = <M extends keyof ServerNotificationTable & string>(
  method: M,
  params: ParamsInput<ServerNotificationTable, M>,
) => void;

/** What the account handlers of one connection work with. */
export interface AccountContext {
  readonly auth: AuthManager;
  readonly config: CodexConfig;
  readonly http: HttpClient;
  readonly userAgent: string;
  readonly experimentalApi: boolean;
  /** The `chatgptAuthTokens` refresher installed on the manager with host tokens. */
  readonly externalAuth: ExternalAuth;
  /** Loopback port of the browser login (default 1455, upstream's). */
  readonly browserLoginPort?: number | undefined;
  readonly logger: Logger;
  readonly notify: Notify;
  /** Runs `task` after the reply of the current request has been written. */
  afterReply(task: () => Promise<void> | void): void;
}

interface ActiveLogin {
  readonly loginId: string;
  cancel(): void;
  /** Set when `account/login/cancel` ended it. */
  cancelled: boolean;
}

function invalidRequest(message: string): AppServerProtocolError {
  return AppServerProtocolError.rpc(INVALID_REQUEST_ERROR_CODE, message);
}

function internal(message: string): AppServerProtocolError {
  return AppServerProtocolError.rpc(INTERNAL_ERROR_CODE, message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function planOf(auth: CodexAuth | undefined) {
  const plan = auth?.accountPlanType();
  return plan === undefined ? null : wirePlanType(planTypeToString(plan));
}

/** The account handlers of one connection, plus what the connection needs at disconnect. */
export interface AccountHandlers {
  readonly handlers: RequestHandlers<"server">;
  /** Cancels a pending browser or device-code login. */
  cancelActiveLogin(): void;
}

/**
 * `account/read`, `getAuthStatus`, `account/login/start` (all four 0.169 types),
 * `account/login/cancel`, `account/logout` and `account/rateLimits/read`, with 0.169's texts.
 */
export function accountHandlers(context: AccountContext): AccountHandlers {
  const { auth, config } = context;
  let active: ActiveLogin | undefined;

  const requiresOpenaiAuth = () => config.modelProvider.requiresOpenaiAuth === true;

  function cancelActiveLogin(): void {
    const login = active;
    active = undefined;
    login?.cancel();
  }

  async function chatgptHeaders(current: CodexAuth): Promise<Record<string, string>> {
    return auth.chatgptRequestAuthHeaders(current);
  }

  async function routingFor(current: CodexAuth): Promise<WorkspaceRouting> {
    return discoverWorkspaceRouting({
      http: context.http,
      chatgptBaseUrl: config.chatgptBaseUrl,
      headers: await chatgptHeaders(current),
      accountId: current.getAccountId() ?? "",
      userAgent: context.userAgent,
    });
  }

  async function refreshIfAsked(refresh: boolean): Promise<void> {
    if (!refresh || auth.hasExternalAuthTokens()) return;
    if (auth.authCached()?.apiAuthMode !== "chatgpt") return;
    try {
      await auth.refreshToken();
    } catch (error) {
      context.logger.warn("failed to refresh token while getting account", {
        error: isLoginError(error) ? error.code : "unknown",
      });
    }
  }

  function completed(loginId: string | null, error: string | null): void {
    context.notify("account/login/completed", {
      loginId,
      success: error === null,
      error,
      onboardingEntrypoint: null,
    });
  }

  function updated(): void {
    const current = auth.authCached();
    context.notify("account/updated", {
      authMode: current?.apiAuthMode ?? null,
      planType: planOf(current),
    });
  }

  /** Reports the end of a browser or device-code login (after the reply that started it). */
  function watchLogin(login: ActiveLogin, done: Promise<unknown>): void {
    done.then(
      () => {
        if (active === login) active = undefined;
        context.afterReply(() => {
          completed(login.loginId, null);
          updated();
        });
      },
      (error: unknown) => {
        if (active === login) active = undefined;
        const text =
          login.cancelled || (isLoginError(error) && error.code === "login_cancelled")
            ? LOGIN_NOT_COMPLETED
            : `Login server error: ${messageOf(error)}`;
        context.afterReply(() => completed(login.loginId, text));
      },
    );
  }

  const handlers: RequestHandlers<"server"> = {
    "account/read": async (params) => {
      await refreshIfAsked(params.refreshToken === true);
      if (!requiresOpenaiAuth()) {
        return { account: null, userId: null, requiresOpenaiAuth: false, workspaceRouting: null };
      }
      const current = auth.authCached();
      if (current === undefined) {
        return { account: null, userId: null, requiresOpenaiAuth: true, workspaceRouting: null };
      }
      if (!current.isChatgptAuth()) {
        return {
          account: { type: "apiKey" },
          userId: null,
          requiresOpenaiAuth: true,
          workspaceRouting: null,
        };
      }
      let routing: WorkspaceRouting;
      try {
        routing = await routingFor(current);
      } catch (error) {
        throw internal(messageOf(error));
      }
      return {
        account: {
          type: "chatgpt",
          email: current.getAccountEmail() ?? null,
          planType: planOf(current) ?? "unknown",
          workspaceName: routing.workspaceName,
        },
        userId: current.getChatgptUserId() ?? null,
        requiresOpenaiAuth: true,
        workspaceRouting: {
          chatgptAccountId: routing.chatgptAccountId,
          backendOrigin: routing.backendOrigin,
          accountRoutingOverride: routing.accountRoutingOverride,
        },
      };
    },

    getAuthStatus: async (params) => {
      const includeToken = params.includeToken === true;
      const refresh = params.refreshToken === true;
      await refreshIfAsked(refresh);
      if (!requiresOpenaiAuth()) {
        return { authMethod: null, authToken: null, requiresOpenaiAuth: false };
      }
      const current = refresh ? auth.authCached() : await auth.auth();
      if (current === undefined) {
        return { authMethod: null, authToken: null, requiresOpenaiAuth: true };
      }
      let token: string;
      try {
        token = current.getToken().reveal();
      } catch {
        return { authMethod: null, authToken: null, requiresOpenaiAuth: true };
      }
      if (token === "") return { authMethod: null, authToken: null, requiresOpenaiAuth: true };
      return {
        authMethod: current.apiAuthMode,
        authToken: includeToken ? token : null,
        requiresOpenaiAuth: true,
      };
    },

    "account/login/start": async (params) => {
      switch (params.type) {
        case "apiKey": {
          if (auth.hasExternalAuthTokens()) throw invalidRequest(EXTERNAL_AUTH_ACTIVE);
          if (config.forcedLoginMethod === "chatgpt") throw invalidRequest(API_KEY_DISABLED);
          cancelActiveLogin();
          try {
            await auth.loginWithApiKey(params.apiKey);
          } catch (error) {
            throw internal(`failed to save api key: ${messageOf(error)}`);
          }
          context.afterReply(() => {
            completed(null, null);
            updated();
          });
          return { type: "apiKey" };
        }
        case "chatgpt": {
          if (auth.hasExternalAuthTokens()) throw invalidRequest(EXTERNAL_AUTH_ACTIVE);
          if (config.forcedLoginMethod === "api") throw invalidRequest(CHATGPT_DISABLED);
          cancelActiveLogin();
          let server: Awaited<ReturnType<AuthManager["startBrowserLogin"]>>;
          try {
            server = await auth.startBrowserLogin(
              context.browserLoginPort === undefined ? {} : { port: context.browserLoginPort },
            );
          } catch (error) {
            throw internal(`failed to start login server: ${messageOf(error)}`);
          }
          const login: ActiveLogin = {
            loginId: server.loginId,
            cancel: () => server.cancel(),
            cancelled: false,
          };
          active = login;
          watchLogin(login, server.done);
          return { type: "chatgpt", loginId: server.loginId, authUrl: server.authUrl };
        }
        case "chatgptDeviceCode": {
          if (auth.hasExternalAuthTokens()) throw invalidRequest(EXTERNAL_AUTH_ACTIVE);
          if (config.forcedLoginMethod === "api") throw invalidRequest(CHATGPT_DISABLED);
          cancelActiveLogin();
          let device: Awaited<ReturnType<AuthManager["startDeviceCodeLogin"]>>;
          try {
            device = await auth.startDeviceCodeLogin();
          } catch (error) {
            throw internal(`failed to start device code login: ${messageOf(error)}`);
          }
          const login: ActiveLogin = {
            loginId: device.loginId,
            cancel: () => device.cancel(),
            cancelled: false,
          };
          active = login;
          watchLogin(login, device.done);
          return {
            type: "chatgptDeviceCode",
            loginId: device.loginId,
            verificationUrl: device.verificationUrl,
            userCode: device.userCode,
          };
        }
        case "chatgptAuthTokens": {
          if (!context.experimentalApi) throw invalidRequest(EXPERIMENTAL_REQUIRED);
          if (!("chatgptAccountId" in params)) {
            // 0.169 knows only {accessToken, chatgptAccountId, chatgptPlanType?}
            throw invalidRequest("Invalid request: missing field `chatgptAccountId`");
          }
          if (config.forcedLoginMethod === "api") throw invalidRequest(EXTERNAL_DISABLED);
          cancelActiveLogin();
          const forced = config.forcedChatgptWorkspaceId;
          if (forced !== undefined && forced !== params.chatgptAccountId) {
            throw invalidRequest(
              `External auth must use one of workspace(s) ${JSON.stringify([forced])}, but received ${JSON.stringify(params.chatgptAccountId)}.`,
            );
          }
          try {
            await auth.loginWithChatgptAuthTokens(
              params.accessToken,
              params.chatgptAccountId,
              params.chatgptPlanType ?? undefined,
            );
          } catch (error) {
            const detail =
              isLoginError(error) && error.code === "invalid_id_token"
                ? "invalid ID token format"
                : messageOf(error);
            throw internal(`failed to set external auth: ${detail}`);
          }
          auth.setExternalAuth(context.externalAuth);
          context.afterReply(async () => {
            const current = auth.authCached();
            if (current === undefined) return;
            try {
              await routingFor(current);
            } catch (error) {
              // 0.169: the login reports the routing failure, and no account/updated follows
              completed(null, messageOf(error));
              return;
            }
            completed(null, null);
            updated();
          });
          return { type: "chatgptAuthTokens" };
        }
      }
    },

    "account/login/cancel": (params) => {
      if (!UUID.test(params.loginId)) {
        throw invalidRequest(`invalid login id: ${params.loginId}`);
      }
      const login = active;
      if (login === undefined || login.loginId.toLowerCase() !== params.loginId.toLowerCase()) {
        return { status: "notFound" };
      }
      login.cancelled = true;
      cancelActiveLogin();
      return { status: "canceled" };
    },

    "account/logout": async () => {
      cancelActiveLogin();
      try {
        await auth.logout();
      } catch (error) {
        throw internal(`logout failed: ${messageOf(error)}`);
      } finally {
        auth.setExternalAuth(undefined);
      }
      context.afterReply(() => {
        const current = auth.authCached();
        context.notify("account/updated", {
          authMode: current?.apiAuthMode ?? null,
          planType: null,
        });
      });
      return {};
    },

    "account/rateLimits/read": async () => {
      const current = await auth.auth();
      if (current === undefined) {
        throw invalidRequest("codex account authentication required to read rate limits");
      }
      if (!current.isChatgptAuth()) {
        throw invalidRequest("chatgpt authentication required to read rate limits");
      }
      try {
        return await readRateLimits({
          http: context.http,
          chatgptBaseUrl: config.chatgptBaseUrl,
          headers: await chatgptHeaders(current),
          userAgent: context.userAgent,
        });
      } catch (error) {
        if (AppServerError.is(error)) throw internal(error.message);
        throw internal(`failed to fetch codex rate limits: ${messageOf(error)}`);
      }
    },
  };

  // Logins and logout run one at a time, in arrival order (0.169's account auth queue): two
  // of them never race on the credential store.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <P, R>(handler: (params: P, context: RequestContext) => R) => {
    return (params: P, context: RequestContext): Promise<Awaited<R>> => {
      const run = queue.then(() => handler(params, context));
      queue = run.catch(() => undefined);
      return run as Promise<Awaited<R>>;
    };
  };
  const serialized: RequestHandlers<"server"> = {
    ...handlers,
    "account/login/start": serial(handlers["account/login/start"]!),
    "account/login/cancel": serial(handlers["account/login/cancel"]!),
    "account/logout": serial(handlers["account/logout"]!),
  };
  return { handlers: serialized, cancelActiveLogin };
}

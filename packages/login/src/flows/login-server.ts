import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Secret } from "@codex/wire";
import type { AuthDotJson } from "../auth-dot-json.js";
import { isLoginError, LoginError, toLoginError } from "../errors.js";
import type { IdTokenInfo } from "../id-token.js";
import { decodeJwtPayload } from "../internal/jwt.js";
import { type ExchangedTokens, exchangeIdTokenForApiKey } from "../token-endpoint.js";
import { buildAuthorizeUrl } from "./authorize-url.js";
import { type LoginFlowOptions, resolveLoginFlow } from "./login-flow-options.js";
import { errorPageHtml, successPageHtml } from "./login-pages.js";
import {
  type BindRetryPolicy,
  bindLoginServer,
  DEFAULT_BIND_RETRY,
  DEFAULT_LOGIN_PORT,
} from "./loopback-port.js";
import { DEFAULT_ISSUER } from "./oauth-defaults.js";
import { defaultRandomBytes, generatePkce, generateState, type RandomBytes } from "./pkce.js";
import { ensureWorkspaceAllowed } from "./workspace-restriction.js";

/** Default deadline of a browser login (the user has this long to finish in the browser). */
export const DEFAULT_LOGIN_TIMEOUT_MS = 10 * 60 * 1000;

/** Options of {@link startLoginServer}. */
export interface LoginServerOptions extends LoginFlowOptions {
  /** Port to bind on 127.0.0.1 (default 1455; 0 = OS-chosen). */
  readonly port?: number | undefined;
  /** Port tried when `port` stays busy (default 1457 for 1455, none otherwise; `null` = none). */
  readonly fallbackPort?: number | null | undefined;
  /** Busy-port retry policy (default upstream's: 10 attempts, 200 ms, 2 s cancel deadline). */
  readonly bindRetry?: Partial<BindRetryPolicy> | undefined;
  /** `originator` query value (default `codex_cli_rs`). */
  readonly originator?: string | undefined;
  /** Fixed `state` (tests); default 32 random bytes. */
  readonly forceState?: string | undefined;
  /** Exchange the id token for an API key like upstream (default true; failure → no key). */
  readonly exchangeApiKey?: boolean | undefined;
  /** Deadline of the whole login in ms (default 10 min; 0 = none); past it `done` rejects with `login_timeout`. */
  readonly timeoutMs?: number | undefined;
  /** Randomness for PKCE and state (tests). */
  readonly randomBytes?: RandomBytes | undefined;
  /** Sleep between bind attempts (tests). */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
}

/** What a completed browser login produced. */
export interface LoginResult {
  /** The credentials that were saved. */
  readonly auth: AuthDotJson;
  /** `tokens.account_id` (the id token's `chatgpt_account_id`). */
  readonly accountId: string | null;
  /** The signed-in user's email, when the id token carries one. */
  readonly email: string | undefined;
  /** The plan from the access token claims, when present. */
  readonly planType: string | undefined;
}

/** A running browser login. */
export interface LoginServer {
  /** URL to open in the browser. */
  readonly authUrl: string;
  /** The bound loopback port. */
  readonly port: number;
  /** Random id of this login attempt (app-server `loginId`). */
  readonly loginId: string;
  /** Settles when the login ends: the saved credentials, or a {@link LoginError}. */
  readonly done: Promise<LoginResult>;
  /** Ends the login (`login_cancelled`) and closes the server. Idempotent. */
  cancel(): void;
}

const HOST = "127.0.0.1";

function sameState(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function claimObject(claims: Record<string, unknown>): Record<string, unknown> {
  const auth = claims["https://api.openai.com/auth"];
  return auth !== null && typeof auth === "object" && !Array.isArray(auth)
    ? (auth as Record<string, unknown>)
    : {};
}

function safeClaims(jwt: string): Record<string, unknown> {
  try {
    return claimObject(decodeJwtPayload(jwt));
  } catch {
    return {};
  }
}

function oauthErrorMessage(error: string, description: string | undefined): string {
  if (
    error === "access_denied" &&
    description !== undefined &&
    description.toLowerCase().includes("missing_codex_entitlement")
  ) {
    return "Codex is not enabled for your workspace. Contact your workspace administrator to request access to Codex.";
  }
  return `Sign-in failed: ${description !== undefined && description !== "" ? description : error}`;
}

/**
 * Starts the loopback browser-login server (PKCE + state), like upstream's `run_login_server`.
 * The caller opens `authUrl` in a browser and awaits `done`.
 *
 * Flow: the issuer redirects to `http://localhost:{port}/auth/callback?code&state`; the state is
 * checked first (a mismatch answers `400 State mismatch` and keeps listening), the code is
 * exchanged, the workspace restriction checked, the optional API key obtained, the credentials
 * saved (superseded tokens revoked), and the browser redirected to `/success`, whose page ends
 * the login. `/cancel` (sent by a newer login server) ends it with `login_cancelled`.
 *
 * @throws {LoginError} `port_in_use` when neither port can be bound; `invalid_argument`.
 * @example
 * ```ts
 * const login = await startLoginServer({ codexHome });
 * console.log(`Open ${login.authUrl}`);
 * const { accountId } = await login.done;
 * ```
 */
export async function startLoginServer(options: LoginServerOptions): Promise<LoginServer> {
  const { issuer, clientId, logger, http, exchangeCode, save } = resolveLoginFlow(
    options,
    "startLoginServer",
    "login-server",
  );
  if (
    options.forceState !== undefined &&
    (typeof options.forceState !== "string" || options.forceState === "")
  ) {
    throw new LoginError("invalid_argument", "forceState must be a non-empty string");
  }
  const port = options.port ?? DEFAULT_LOGIN_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LoginError("invalid_argument", "port must be an integer between 0 and 65535");
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new LoginError("invalid_argument", "timeoutMs must be a non-negative number");
  }
  const randomBytes = options.randomBytes ?? defaultRandomBytes;
  const pkce = generatePkce(randomBytes);
  const state = options.forceState ?? generateState(randomBytes);
  const loginId = randomUUID();
  const abort = new AbortController();

  let settle!: { resolve: (r: LoginResult) => void; reject: (e: LoginError) => void };
  const done = new Promise<LoginResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => {});

  let finished = false;
  let exchanging = false;
  let completed: { result: LoginResult; successQuery: string } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let boundPort = port;
  let redirectUri = "";

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      logger.error("login server request failed", {
        error: err instanceof Error ? err.name : "unknown",
      });
      if (!res.headersSent) respond(res, 500, "text/plain; charset=utf-8", "Internal Server Error");
    });
  });

  function respond(
    res: ServerResponse,
    status: number,
    contentType: string,
    body: string,
    extra: Record<string, string> = {},
    close = false,
  ): void {
    const headers: Record<string, string> = {
      "content-type": contentType,
      "cache-control": "no-store",
      ...extra,
    };
    if (close) headers.connection = "close";
    res.writeHead(status, headers);
    res.end(body);
  }

  function shutdown(): void {
    if (timer !== undefined) clearTimeout(timer);
    abort.abort();
    server.close();
    // Idle keep-alive sockets (browser preconnects) close now; the terminal response, sent with
    // `Connection: close`, is flushed first; anything still open is cut after a grace period.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  }

  function finish(outcome: { ok: LoginResult } | { error: LoginError }): void {
    if (finished) return;
    finished = true;
    shutdown();
    if ("ok" in outcome) {
      logger.info("login completed", { loginId });
      settle.resolve(outcome.ok);
    } else {
      logger.info("login ended", { loginId, code: outcome.error.code });
      settle.reject(outcome.error);
    }
  }

  function failWithPage(res: ServerResponse, error: LoginError, pageCode: string): void {
    respond(res, 200, "text/html; charset=utf-8", errorPageHtml(pageCode, error.message), {}, true);
    finish({ error });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? "", `http://localhost:${boundPort}`);
    } catch {
      respond(res, 400, "text/plain; charset=utf-8", "Bad Request");
      return;
    }
    if (finished) {
      respond(res, 503, "text/plain; charset=utf-8", "Login server is shutting down", {}, true);
      return;
    }
    switch (url.pathname) {
      case "/auth/callback":
        return handleCallback(url, res);
      case "/success":
        if (completed === undefined) {
          respond(res, 404, "text/plain; charset=utf-8", "Not Found");
          return;
        }
        respond(
          res,
          200,
          "text/html; charset=utf-8",
          successPageHtml({
            needsSetup: url.searchParams.get("needs_setup") === "true",
            platformUrl: url.searchParams.get("platform_url") ?? "",
            planType: completed.result.planType,
          }),
          {},
          true,
        );
        finish({ ok: completed.result });
        return;
      case "/cancel":
        respond(res, 200, "text/plain; charset=utf-8", "Login cancelled", {}, true);
        finish({ error: new LoginError("login_cancelled", "Login cancelled") });
        return;
      default:
        respond(res, 404, "text/plain; charset=utf-8", "Not Found");
    }
  }

  async function handleCallback(url: URL, res: ServerResponse): Promise<void> {
    const q = url.searchParams;
    const gotState = q.get("state");
    const stateValid = gotState !== null && sameState(gotState, state);
    logger.debug("login callback", {
      has_code: q.has("code"),
      has_state: q.has("state"),
      has_error: q.has("error"),
      state_valid: stateValid,
    });
    if (!stateValid) {
      respond(res, 400, "text/plain; charset=utf-8", "State mismatch");
      return;
    }
    if (exchanging || completed !== undefined) {
      respond(res, 409, "text/plain; charset=utf-8", "Sign-in is already being completed");
      return;
    }
    const oauthError = q.get("error");
    if (oauthError !== null) {
      const message = oauthErrorMessage(oauthError, q.get("error_description") ?? undefined);
      failWithPage(res, new LoginError("login_failed", message), oauthError);
      return;
    }
    const codeRaw = q.get("code");
    if (codeRaw === null || codeRaw === "") {
      failWithPage(
        res,
        new LoginError(
          "login_failed",
          "Missing authorization code. Sign-in could not be completed.",
        ),
        "missing_authorization_code",
      );
      return;
    }
    exchanging = true;
    const code = new Secret(codeRaw);
    let tokens: ExchangedTokens;
    let idToken: IdTokenInfo;
    try {
      ({ tokens, idToken } = await exchangeCode(
        code,
        pkce.codeVerifier,
        redirectUri,
        abort.signal,
      ));
    } catch (err) {
      if (finished) return;
      const e = new LoginError(
        "token_exchange_failed",
        `Token exchange failed: ${err instanceof Error ? err.message : "unknown error"}`,
        {
          cause: err,
          ...(isLoginError(err) && err.status ? { status: err.status } : {}),
        },
      );
      failWithPage(res, e, "token_exchange_failed");
      return;
    }
    try {
      ensureWorkspaceAllowed(options.forcedWorkspaceIds, idToken);
    } catch (err) {
      failWithPage(res, err as LoginError, "workspace_restriction");
      return;
    }
    let apiKey: Secret | null = null;
    if (options.exchangeApiKey ?? true) {
      try {
        apiKey = await exchangeIdTokenForApiKey({
          http,
          issuer,
          clientId,
          idToken: tokens.idToken,
          signal: abort.signal,
        });
      } catch (err) {
        logger.warn("API key exchange failed; continuing without an API key", {
          code: isLoginError(err) ? err.code : "unknown",
        });
      }
    }
    if (finished) return;
    let saved: AuthDotJson;
    try {
      saved = await save(tokens, idToken, apiKey);
    } catch (err) {
      const e = toLoginError(
        err,
        "persist_failed",
        "Sign-in completed but credentials could not be saved locally.",
      );
      failWithPage(res, e, "persist_failed");
      return;
    }
    const idClaims = safeClaims(tokens.idToken.reveal());
    const accessClaims = safeClaims(tokens.accessToken.reveal());
    const planType =
      typeof accessClaims.chatgpt_plan_type === "string"
        ? accessClaims.chatgpt_plan_type
        : undefined;
    const needsSetup =
      idClaims.completed_platform_onboarding !== true && idClaims.is_org_owner === true;
    const successQuery = new URLSearchParams();
    successQuery.set("needs_setup", String(needsSetup));
    successQuery.set(
      "org_id",
      typeof idClaims.organization_id === "string" ? idClaims.organization_id : "",
    );
    successQuery.set(
      "project_id",
      typeof idClaims.project_id === "string" ? idClaims.project_id : "",
    );
    successQuery.set("plan_type", planType ?? "");
    successQuery.set(
      "platform_url",
      issuer === DEFAULT_ISSUER ? "https://platform.openai.com" : "https://platform.api.openai.org",
    );
    completed = {
      result: {
        auth: saved,
        accountId: saved.tokens?.accountId ?? null,
        email: idToken.email,
        planType,
      },
      successQuery: successQuery.toString(),
    };
    res.writeHead(302, {
      location: `http://localhost:${boundPort}/success?${completed.successQuery}`,
      "cache-control": "no-store",
    });
    res.end();
  }

  boundPort = await bindLoginServer(server, {
    host: HOST,
    port,
    fallbackPort: options.fallbackPort,
    retry: { ...DEFAULT_BIND_RETRY, ...options.bindRetry },
    sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  });
  redirectUri = `http://localhost:${boundPort}/auth/callback`;
  const authUrl = buildAuthorizeUrl({
    issuer,
    clientId,
    redirectUri,
    codeChallenge: pkce.codeChallenge,
    state,
    originator: options.originator,
    forcedWorkspaceIds: options.forcedWorkspaceIds,
  });
  if (timeoutMs > 0) {
    timer = setTimeout(() => {
      finish({
        error: new LoginError(
          "login_timeout",
          `Login timed out after ${timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}; run the login again.`,
        ),
      });
    }, timeoutMs);
    timer.unref();
  }
  logger.info("login server listening", { port: boundPort, loginId });
  return {
    authUrl,
    port: boundPort,
    loginId,
    done,
    cancel() {
      finish({ error: new LoginError("login_cancelled", "Login was not completed") });
    },
  };
}

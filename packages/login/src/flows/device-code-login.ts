import { randomUUID } from "node:crypto";
import { type HttpClient, HttpError } from "@codex/http";
import { isJsonObject, Secret, sleep } from "@codex/wire";
import { z } from "zod";
import { isLoginError, LoginError } from "../errors.js";
import type { IdTokenInfo } from "../id-token.js";
import { parseWith } from "../internal/zod-error.js";
import type { ExchangedTokens } from "../token-endpoint.js";
import { type LoginFlowOptions, resolveLoginFlow } from "./login-flow-options.js";
import type { LoginResult } from "./login-server.js";
import { ensureWorkspaceAllowed } from "./workspace-restriction.js";

/** Upstream's cap on a device-code login: the user code is valid 15 minutes. */
export const DEVICE_CODE_MAX_WAIT_MS = 15 * 60 * 1000;

/**
 * Shortest wait between two polls. Upstream polls with no delay at all when the issuer sends no
 * interval (or "0"); beyond upstream, never poll a remote server in a hot loop.
 */
export const MIN_DEVICE_POLL_INTERVAL_MS = 1_000;

/** RFC 8628: each `slow_down` adds 5 s to the polling interval. */
export const SLOW_DOWN_INCREMENT_MS = 5000;

/** Options of {@link startDeviceCodeLogin}. */
export interface DeviceCodeLoginOptions extends LoginFlowOptions {
  /** Cancels the login (polling stops at once, `login_cancelled`). */
  readonly signal?: AbortSignal | undefined;
  /** Longest wait for the user (default 15 min). */
  readonly maxWaitMs?: number | undefined;
  /** Sleep between polls; must reject when `signal` aborts. */
  readonly sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
}

/** A running device-code login. */
export interface DeviceCodeLogin {
  /** Page where the user enters the code: `{issuer}/codex/device`. */
  readonly verificationUrl: string;
  /** The one-time code to show the user (valid 15 minutes; never share it). */
  readonly userCode: string;
  /** Random id of this login attempt. */
  readonly loginId: string;
  /** Settles when the login ends. */
  readonly done: Promise<LoginResult>;
  /** Stops polling; `done` rejects with `login_cancelled`. Idempotent. */
  cancel(): void;
}

// The issuer's device-auth replies, written once. The user code comes as `user_code` or, from older
// issuers, `usercode`; `interval` is checked by parseDeviceInterval (a string or number of seconds).
const userCodeReplySchema = z
  .looseObject({
    device_auth_id: z.string().min(1),
    user_code: z.string().min(1).optional(),
    usercode: z.string().min(1).optional(),
    interval: z.unknown().optional(),
  })
  .transform((r, ctx) => {
    const userCode = r.user_code ?? r.usercode;
    if (userCode === undefined) {
      ctx.addIssue({ code: "custom", message: "is missing", path: ["user_code"] });
      return z.NEVER;
    }
    return { deviceAuthId: r.device_auth_id, userCode, interval: r.interval };
  });
const deviceTokenReplySchema = z.looseObject({
  authorization_code: z.string().min(1),
  code_verifier: z.string().min(1),
});

/** Parses the `interval` of a device-code reply: a string of seconds (upstream) or a number. */
export function parseDeviceInterval(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const seconds =
    typeof value === "number"
      ? value
      : typeof value === "string"
        ? Number(value.trim() || "0")
        : NaN;
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new LoginError("device_code_failed", "device code reply has an invalid interval");
  }
  return Math.round(seconds * 1000);
}

function cancelled(): LoginError {
  return new LoginError("login_cancelled", "device code login was cancelled");
}

async function postJson(
  http: HttpClient,
  url: string,
  json: unknown,
  signal: AbortSignal,
  failCode: "device_code_failed",
): Promise<{ status: number; ok: boolean; body: unknown }> {
  try {
    const res = await http.requestText({ method: "POST", url, json, signal, timeoutMs: 30_000 });
    let body: unknown;
    try {
      body = res.body === "" ? undefined : JSON.parse(res.body);
    } catch {
      body = undefined;
    }
    return { status: res.status, ok: res.ok, body };
  } catch (cause) {
    if (signal.aborted) throw cancelled();
    const what = HttpError.is(cause) ? cause.code : "network error";
    throw new LoginError(failCode, `device code request to ${url} failed (${what})`, { cause });
  }
}

/**
 * Starts a device-code login (upstream's `device_code_auth`): requests a user code at
 * `{issuer}/api/accounts/deviceauth/usercode`, then polls `{issuer}/api/accounts/deviceauth/token`
 * in the background until the user approves (403/404 = pending), exchanges the returned
 * authorization code (`redirect_uri = {issuer}/deviceauth/callback`), checks the workspace and
 * saves the credentials with no API key. Beyond upstream: honours `interval` and `slow_down`, and
 * is cancellable through `signal` or `cancel()`.
 *
 * @throws {LoginError} `device_code_unsupported` when the issuer does not offer it (404),
 *   `device_code_failed` for other failures of the first request.
 * @example
 * ```ts
 * const login = await startDeviceCodeLogin({ codexHome });
 * console.log(`Open ${login.verificationUrl} and enter ${login.userCode}`);
 * await login.done;
 * ```
 */
export async function startDeviceCodeLogin(
  options: DeviceCodeLoginOptions,
): Promise<DeviceCodeLogin> {
  const { issuer, clientId, logger, http, now, exchangeCode, save } = resolveLoginFlow(
    options,
    "startDeviceCodeLogin",
    "device-code-login",
  );
  const maxWaitMs = options.maxWaitMs ?? DEVICE_CODE_MAX_WAIT_MS;
  if (!Number.isFinite(maxWaitMs) || maxWaitMs <= 0) {
    throw new LoginError("invalid_argument", "maxWaitMs must be a positive number");
  }
  const wait = options.sleep ?? sleep;
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort();
  if (options.signal?.aborted) throw cancelled();
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });
  const signal = controller.signal;

  const usercodeUrl = `${issuer}/api/accounts/deviceauth/usercode`;
  let first: { status: number; ok: boolean; body: unknown };
  try {
    first = await postJson(
      http,
      usercodeUrl,
      { client_id: clientId },
      signal,
      "device_code_failed",
    );
  } catch (err) {
    options.signal?.removeEventListener("abort", onOuterAbort);
    throw err;
  }
  if (!first.ok) {
    options.signal?.removeEventListener("abort", onOuterAbort);
    if (first.status === 404) {
      throw new LoginError(
        "device_code_unsupported",
        "device code login is not enabled for this Codex server. Use the browser login or verify the server URL.",
        { status: 404 },
      );
    }
    throw new LoginError(
      "device_code_failed",
      `device code request failed with status ${first.status}`,
      { status: first.status },
    );
  }
  let body: z.output<typeof userCodeReplySchema>;
  let intervalMs: number;
  try {
    body = parseWith(
      userCodeReplySchema,
      first.body,
      "device_code_failed",
      "device code reply lacks device_auth_id or user_code",
      { status: first.status, detail: false },
    );
    intervalMs = parseDeviceInterval(body.interval);
  } catch (err) {
    options.signal?.removeEventListener("abort", onOuterAbort);
    throw err;
  }
  const deviceAuthId = new Secret(body.deviceAuthId);
  const userCode = body.userCode;
  const started = now().getTime();

  async function poll(): Promise<{ code: Secret; verifier: Secret }> {
    const tokenUrl = `${issuer}/api/accounts/deviceauth/token`;
    for (;;) {
      if (signal.aborted) throw cancelled();
      const res = await postJson(
        http,
        tokenUrl,
        { device_auth_id: deviceAuthId.reveal(), user_code: userCode },
        signal,
        "device_code_failed",
      );
      if (res.ok) {
        const b = parseWith(
          deviceTokenReplySchema,
          res.body,
          "device_code_failed",
          "device auth reply lacks authorization_code or code_verifier",
          { status: res.status, detail: false },
        );
        return { code: new Secret(b.authorization_code), verifier: new Secret(b.code_verifier) };
      }
      const error =
        isJsonObject(res.body) && typeof res.body.error === "string" ? res.body.error : "";
      const pending = res.status === 403 || res.status === 404 || error === "authorization_pending";
      const slowDown = error === "slow_down";
      if (!pending && !slowDown) {
        throw new LoginError("device_code_failed", `device auth failed with status ${res.status}`, {
          status: res.status,
        });
      }
      if (slowDown) {
        const hinted =
          isJsonObject(res.body) && res.body.interval !== undefined
            ? parseDeviceInterval(res.body.interval)
            : 0;
        intervalMs = Math.max(intervalMs + SLOW_DOWN_INCREMENT_MS, hinted);
        logger.debug("device auth asked to slow down", { intervalMs });
      }
      const remaining = started + maxWaitMs - now().getTime();
      if (remaining <= 0) {
        throw new LoginError(
          "device_code_timeout",
          `device auth timed out after ${Math.round(maxWaitMs / 60000)} minutes`,
        );
      }
      try {
        await wait(Math.min(Math.max(intervalMs, MIN_DEVICE_POLL_INTERVAL_MS), remaining), signal);
      } catch {
        throw cancelled();
      }
    }
  }

  async function run(): Promise<LoginResult> {
    const { code, verifier } = await poll();
    let tokens: ExchangedTokens;
    let idToken: IdTokenInfo;
    try {
      ({ tokens, idToken } = await exchangeCode(
        code,
        verifier,
        `${issuer}/deviceauth/callback`,
        signal,
      ));
    } catch (err) {
      if (signal.aborted) throw cancelled();
      throw new LoginError(
        "token_exchange_failed",
        `device code exchange failed: ${err instanceof Error ? err.message : "unknown error"}`,
        { cause: err, ...(isLoginError(err) && err.status ? { status: err.status } : {}) },
      );
    }
    ensureWorkspaceAllowed(options.forcedWorkspaceIds, idToken);
    if (signal.aborted) throw cancelled();
    const saved = await save(tokens, idToken, null);
    return {
      auth: saved,
      accountId: saved.tokens?.accountId ?? null,
      email: idToken.email,
      planType: idToken.chatgptPlanType
        ? "known" in idToken.chatgptPlanType
          ? idToken.chatgptPlanType.known
          : idToken.chatgptPlanType.unknown
        : undefined,
    };
  }

  const done = run().finally(() => {
    options.signal?.removeEventListener("abort", onOuterAbort);
  });
  done.catch(() => {});
  return {
    verificationUrl: `${issuer}/codex/device`,
    userCode,
    loginId: randomUUID(),
    done,
    cancel() {
      controller.abort();
    },
  };
}

import { randomBytes as nodeRandomBytes } from "node:crypto";
import { validateHeaderValue } from "node:http";
import { type Logger, silentLogger } from "@codex/wire";
import { FakeBackendError } from "./fake-backend-error.js";
import { DEFAULT_MAX_RECORDED_REQUESTS } from "./fake-backend-state.js";
import { type RateLimitSnapshot, rateLimitHeaders } from "./rate-limit-headers.js";
import type { ResponseScript } from "./response-script.js";

/** The ChatGPT account the fake issuer signs in, reflected in id and access token claims. */
export interface FakeAccount {
  /** `email` claim (top level and in `https://api.openai.com/profile`). */
  readonly email: string;
  /** `chatgpt_account_id` (the workspace id); also the `ChatGPT-Account-ID` the backend expects. */
  readonly chatgptAccountId: string;
  /** `chatgpt_user_id` (and `user_id`). */
  readonly chatgptUserId: string;
  /** `chatgpt_plan_type`, e.g. `plus`, `pro`, `team`, `enterprise`. */
  readonly planType: string;
  /** Workspace title, in the `organizations` claim. */
  readonly workspaceName: string;
  /** `organization_id` claim. */
  readonly organizationId: string;
  /** `project_id` claim. */
  readonly projectId: string;
  /** `chatgpt_account_is_fedramp` claim. */
  readonly isFedramp: boolean;
  /** `completed_platform_onboarding` claim. */
  readonly completedPlatformOnboarding: boolean;
  /** `is_org_owner` claim. */
  readonly isOrgOwner: boolean;
  /**
   * `workspace_backend_origin` of the account in `/wham/accounts/check` (with
   * `account_routing_override: "NO_CONSTRAINT"`); omitted by default.
   */
  readonly workspaceBackendOrigin?: string;
}

/** What the backend demands of Responses calls (`/codex/responses*`, `/v1/responses*`). */
export interface FakeBackendRequirements {
  /** 401 unless the call carries an `AgentAssertion` that verifies (ChatGPT surface). */
  readonly agentAssertion?: boolean;
  /** 403 unless `x-oai-attestation` is present; a string demands exactly that value. */
  readonly attestation?: boolean | string;
  /** 403 when a Bearer call on the ChatGPT surface lacks the account's `ChatGPT-Account-ID`. */
  readonly chatgptAccountId?: boolean;
}

/** Device-code login behaviour. */
export interface FakeDeviceAuthOptions {
  /** false answers 404 on `/api/accounts/deviceauth/usercode` (default true). */
  readonly enabled?: boolean;
  /** The `interval` string sent to clients, in seconds (default 0). */
  readonly intervalSeconds?: number;
  /** Polls answered 403 (pending) before the code is approved (default 1). */
  readonly pendingPolls?: number;
  /** Polls answered 400 `{"error":"slow_down"}` before the pending ones (default 0). */
  readonly slowDownPolls?: number;
}

/** Options of {@link startFakeBackend}; every field has a default. */
export interface FakeBackendOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** The OAuth client id the issuer accepts (default `app_EMoamEEZ73f0CkXaXp7hrann`). */
  readonly clientId?: string;
  /** The signed-in account; missing fields take defaults. */
  readonly account?: Partial<FakeAccount>;
  /** Clock in epoch milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** Randomness for ids, codes and tokens (default node:crypto). */
  readonly randomBytes?: (size: number) => Uint8Array;
  /** Access and id token lifetime (default 3600). */
  readonly accessTokenTtlSeconds?: number;
  /** Refresh token lifetime (default 30 days). */
  readonly refreshTokenTtlSeconds?: number;
  /** Authorization code lifetime (default 600). */
  readonly authorizationCodeTtlSeconds?: number;
  /** Largest request body or WebSocket message accepted (default 4 MiB). */
  readonly maxBodyBytes?: number;
  /** Allowed clock skew of an `AgentAssertion` or task-registration timestamp (default 300). */
  readonly maxAssertionSkewSeconds?: number;
  /**
   * Most entries kept in each `state` list (`requests`, `tokenGrants`, `revocations`, a record's
   * `websocketMessages`; default 10,000): the oldest is dropped first and counted in
   * `state.droppedRecords`, so a long benchmark cannot grow memory without bound.
   */
  readonly maxRecordedRequests?: number;
  /**
   * API keys accepted on `/v1`. Default: any Bearer value starting with `sk-`. Keys minted by the
   * token-exchange grant are always accepted.
   */
  readonly apiKeys?: readonly string[];
  /** Demands on Responses calls. */
  readonly require?: FakeBackendRequirements;
  /** Rate-limit snapshot sent as headers and `codex.rate_limits` events; false sends none. */
  readonly rateLimits?: RateLimitSnapshot | false;
  /** The script used when no per-test script is queued (default: echo). */
  readonly defaultScript?: ResponseScript;
  /** Device-code login behaviour. */
  readonly deviceAuth?: FakeDeviceAuthOptions;
  /** Makes `/oauth/authorize` redirect back with this OAuth error instead of a code. */
  readonly authorizeError?: { readonly error: string; readonly errorDescription?: string };
  /**
   * Model slugs listed by `GET /backend-api/codex/models`, highest priority first (default
   * `["gpt-5.5"]`, a slug the 0.169 CLI also knows offline).
   */
  readonly models?: readonly string[];
  /**
   * Where the backend reports what a test would otherwise miss: requests to paths it does not
   * serve (warn), handler failures answered 500 (error), every answered request (debug).
   * Default: silent.
   */
  readonly logger?: Logger;
  /**
   * Makes `POST /oauth/token` refuse every request of a grant with this OAuth error
   * (`{error, error_description}` with `status`, 400–599) instead of issuing tokens:
   * `authorizationCode` for the code exchange, `tokenExchange` for the API-key exchange.
   */
  readonly tokenErrors?: FakeTokenErrors;
}

/** An OAuth error answered by the token endpoint (`FakeBackendOptions.tokenErrors`). */
export interface FakeTokenError {
  readonly status: number;
  readonly error: string;
  readonly errorDescription?: string;
}

/** Forced token-endpoint errors per grant. */
export interface FakeTokenErrors {
  readonly authorizationCode?: FakeTokenError;
  readonly tokenExchange?: FakeTokenError;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  readonly port: number;
  readonly clientId: string;
  readonly account: FakeAccount;
  readonly now: () => number;
  readonly randomBytes: (size: number) => Uint8Array;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly authorizationCodeTtlSeconds: number;
  readonly maxBodyBytes: number;
  readonly maxAssertionSkewSeconds: number;
  readonly maxRecordedRequests: number;
  readonly apiKeys: readonly string[] | undefined;
  readonly require: FakeBackendRequirements;
  readonly rateLimits: RateLimitSnapshot | false;
  readonly defaultScript: ResponseScript;
  readonly deviceAuth: Required<FakeDeviceAuthOptions>;
  readonly authorizeError:
    | { readonly error: string; readonly errorDescription?: string }
    | undefined;
  readonly models: readonly string[];
  readonly logger: Logger;
  readonly tokenErrors: FakeTokenErrors;
}

/** The client id of the Codex CLI, accepted by default. */
export const DEFAULT_CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";

/** The default account: a Plus user in a personal workspace. */
export const DEFAULT_ACCOUNT: FakeAccount = {
  email: "dev@example.com",
  chatgptAccountId: "acct-fake-0001",
  chatgptUserId: "user-fake-0001",
  planType: "plus",
  workspaceName: "Personal",
  organizationId: "org-fake-0001",
  projectId: "proj-fake-0001",
  isFedramp: false,
  completedPlatformOnboarding: true,
  isOrgOwner: true,
};

/** The default rate-limit snapshot. */
export const DEFAULT_RATE_LIMITS: RateLimitSnapshot = {
  primary: { usedPercent: 12.5, windowMinutes: 300, resetAfterSeconds: 3600 },
  secondary: { usedPercent: 40, windowMinutes: 10080, resetAfterSeconds: 86400 },
  credits: { hasCredits: true, unlimited: false, balance: "100" },
};

function nonNegativeInt(name: string, value: number | undefined, fallback: number, max: number) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new FakeBackendError(
      "invalid_options",
      `option ${name} must be an integer between 0 and ${max}`,
    );
  }
  return value;
}

function positiveInt(name: string, value: number | undefined, fallback: number, max: number) {
  const resolved = nonNegativeInt(name, value, fallback, max);
  if (resolved === 0) {
    throw new FakeBackendError("invalid_options", `option ${name} must be greater than 0`);
  }
  return resolved;
}

/** Refuses a snapshot whose headers could not be sent (every Responses call would fail). */
function checkRateLimits(snapshot: RateLimitSnapshot): void {
  const invalid = () =>
    new FakeBackendError(
      "invalid_options",
      "option rateLimits must hold finite numbers and header-safe strings",
    );
  if (snapshot === null || typeof snapshot !== "object") throw invalid();
  for (const window of [snapshot.primary, snapshot.secondary]) {
    if (window === undefined) continue;
    const numbers = [window.usedPercent, window.windowMinutes, window.resetAfterSeconds];
    if (!numbers.every((n) => typeof n === "number" && Number.isFinite(n))) throw invalid();
  }
  for (const [name, value] of Object.entries(rateLimitHeaders(snapshot, 0))) {
    try {
      validateHeaderValue(name, value);
    } catch {
      throw invalid();
    }
  }
}

/** The default model catalog: one slug. */
const DEFAULT_MODELS: readonly string[] = ["gpt-5.5"];

function resolveModels(models: readonly string[] | undefined): readonly string[] {
  if (models === undefined) return DEFAULT_MODELS;
  if (
    !Array.isArray(models) ||
    models.length === 0 ||
    !models.every((slug) => typeof slug === "string" && /^[\w.:/-]+$/.test(slug)) ||
    new Set(models).size !== models.length
  ) {
    throw new FakeBackendError(
      "invalid_options",
      "option models must be a non-empty list of distinct model slugs",
    );
  }
  return [...models];
}

/** Applies defaults and validates every option. */
export function resolveOptions(options: FakeBackendOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") {
    throw new FakeBackendError("invalid_options", "options must be an object");
  }
  const account: FakeAccount = { ...DEFAULT_ACCOUNT, ...options.account };
  for (const key of ["email", "chatgptAccountId", "chatgptUserId", "planType"] as const) {
    if (typeof account[key] !== "string" || account[key] === "") {
      throw new FakeBackendError("invalid_options", `account.${key} must be a non-empty string`);
    }
  }
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  if (typeof clientId !== "string" || clientId === "") {
    throw new FakeBackendError("invalid_options", "option clientId must be a non-empty string");
  }
  if (options.apiKeys !== undefined && !Array.isArray(options.apiKeys)) {
    throw new FakeBackendError("invalid_options", "option apiKeys must be an array of strings");
  }
  const rateLimits = options.rateLimits ?? DEFAULT_RATE_LIMITS;
  if (rateLimits !== false) checkRateLimits(rateLimits);
  const deviceAuth = options.deviceAuth ?? {};
  return {
    port: nonNegativeInt("port", options.port, 0, 65535),
    clientId,
    account,
    now: options.now ?? Date.now,
    randomBytes: options.randomBytes ?? ((size) => nodeRandomBytes(size)),
    accessTokenTtlSeconds: positiveInt(
      "accessTokenTtlSeconds",
      options.accessTokenTtlSeconds,
      3600,
      10 ** 9,
    ),
    refreshTokenTtlSeconds: positiveInt(
      "refreshTokenTtlSeconds",
      options.refreshTokenTtlSeconds,
      30 * 86400,
      10 ** 9,
    ),
    authorizationCodeTtlSeconds: positiveInt(
      "authorizationCodeTtlSeconds",
      options.authorizationCodeTtlSeconds,
      600,
      10 ** 9,
    ),
    maxBodyBytes: positiveInt("maxBodyBytes", options.maxBodyBytes, 4 * 1024 * 1024, 2 ** 30),
    maxAssertionSkewSeconds: nonNegativeInt(
      "maxAssertionSkewSeconds",
      options.maxAssertionSkewSeconds,
      300,
      10 ** 9,
    ),
    maxRecordedRequests: positiveInt(
      "maxRecordedRequests",
      options.maxRecordedRequests,
      DEFAULT_MAX_RECORDED_REQUESTS,
      10 ** 9,
    ),
    apiKeys: options.apiKeys,
    require: options.require ?? {},
    rateLimits,
    defaultScript: options.defaultScript ?? { kind: "echo" },
    deviceAuth: {
      enabled: deviceAuth.enabled ?? true,
      intervalSeconds: nonNegativeInt(
        "deviceAuth.intervalSeconds",
        deviceAuth.intervalSeconds,
        0,
        3600,
      ),
      pendingPolls: nonNegativeInt("deviceAuth.pendingPolls", deviceAuth.pendingPolls, 1, 10 ** 6),
      slowDownPolls: nonNegativeInt(
        "deviceAuth.slowDownPolls",
        deviceAuth.slowDownPolls,
        0,
        10 ** 6,
      ),
    },
    authorizeError: options.authorizeError,
    models: resolveModels(options.models),
    logger: options.logger ?? silentLogger,
    tokenErrors: checkTokenErrors(options.tokenErrors ?? {}),
  };
}

function checkTokenErrors(errors: FakeTokenErrors): FakeTokenErrors {
  if (errors === null || typeof errors !== "object") {
    throw new FakeBackendError("invalid_options", "option tokenErrors must be an object");
  }
  for (const key of ["authorizationCode", "tokenExchange"] as const) {
    const e = errors[key];
    if (e === undefined) continue;
    const ok =
      e !== null &&
      typeof e === "object" &&
      Number.isInteger(e.status) &&
      e.status >= 400 &&
      e.status <= 599 &&
      typeof e.error === "string" &&
      e.error !== "" &&
      (e.errorDescription === undefined || typeof e.errorDescription === "string");
    if (!ok) {
      throw new FakeBackendError(
        "invalid_options",
        `option tokenErrors.${key} must be {status: 400-599, error: non-empty string, errorDescription?: string}`,
      );
    }
  }
  return errors;
}

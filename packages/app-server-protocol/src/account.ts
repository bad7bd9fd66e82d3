import { z } from "zod";
import { named, titled } from "./internal/schema-registry.js";

/** Wire names of the authentication modes (`"apikey"` is all lower case). Later upstream modes are accepted too. */
export const AUTH_MODES = [
  "apikey",
  "chatgpt",
  "chatgptAuthTokens",
  "agentIdentity",
  "personalAccessToken",
  "headers",
] as const;
/** Authentication mode of the account. */
export const AuthMode = named(
  "AuthMode",
  z.enum(AUTH_MODES),
  "Authentication mode for OpenAI-backed providers.",
);
/** Authentication mode of the account. */
export type AuthMode = z.infer<typeof AuthMode>;

/** Plan types known to this package; any other string reads as `"unknown"`. */
export const PLAN_TYPES = [
  "free",
  "go",
  "plus",
  "pro",
  "prolite",
  "team",
  "self_serve_business_usage_based",
  "business",
  "enterprise_cbp_usage_based",
  "enterprise",
  "edu",
  "unknown",
] as const;
/** A known plan type. */
export type PlanType = (typeof PLAN_TYPES)[number];
/** ChatGPT plan type. Parsing maps any unrecognised string to `"unknown"`, as upstream does. */
export const PlanType = named(
  "PlanType",
  z.union([z.enum(PLAN_TYPES), z.string().transform((): PlanType => "unknown")]),
);

/** The account `account/read` reports: API key or ChatGPT (with email and plan). */
export const Account = named(
  "Account",
  z.discriminatedUnion("type", [
    titled("ApiKeyAccount", z.object({ type: z.literal("apiKey") })),
    titled(
      "ChatgptAccount",
      z.object({
        type: z.literal("chatgpt"),
        email: z.string().nullable(),
        planType: PlanType,
        workspaceName: z.string().nullable().optional(),
      }),
    ),
  ]),
);
/** The account `account/read` reports. */
export type Account = z.infer<typeof Account>;

/** Params of `account/read`. `refreshToken: true` refreshes a managed ChatGPT session first. */
export const GetAccountParams = named(
  "GetAccountParams",
  z.object({ refreshToken: z.boolean().optional() }),
);
/** Params of `account/read`. */
export type GetAccountParams = z.infer<typeof GetAccountParams>;

/** Where the selected ChatGPT workspace is served (from `/wham/accounts/check`). */
const WorkspaceRouting = named(
  "WorkspaceRouting",
  z.object({
    chatgptAccountId: z.string(),
    backendOrigin: z.string(),
    accountRoutingOverride: z.enum(["NO_CONSTRAINT", "us", "us_cr"]),
  }),
);

/** Result of `account/read`. */
export const GetAccountResponse = named(
  "GetAccountResponse",
  z.object({
    account: Account.nullable().optional(),
    requiresOpenaiAuth: z.boolean(),
    userId: z.string().nullable().optional(),
    workspaceRouting: WorkspaceRouting.nullable().optional(),
    isWorkspaceOwner: z.boolean().nullable().optional(),
  }),
);
/** Result of `account/read`. */
export type GetAccountResponse = z.infer<typeof GetAccountResponse>;

/** `account/login/start` with an API key. */
export const ApiKeyLoginAccountParams = titled(
  "ApiKeyLoginAccountParams",
  z.object({ type: z.literal("apiKey"), apiKey: z.string() }),
);
/** `account/login/start` with the browser flow. */
export const ChatgptLoginAccountParams = titled(
  "ChatgptLoginAccountParams",
  z.object({
    type: z.literal("chatgpt"),
    codexStreamlinedLogin: z.boolean().optional(),
    useHostedLoginSuccessPage: z.boolean().optional(),
  }),
);
/** `account/login/start` with the device-code flow. */
export const ChatgptDeviceCodeLoginAccountParams = titled(
  "ChatgptDeviceCodeLoginAccountParams",
  z.object({ type: z.literal("chatgptDeviceCode") }),
);
/** `account/login/start` with host-owned ChatGPT tokens (current shape). */
export const ChatgptAuthTokensLoginAccountParams = titled(
  "ChatgptAuthTokensLoginAccountParams",
  z.object({
    type: z.literal("chatgptAuthTokens"),
    accessToken: z.string(),
    chatgptAccountId: z.string(),
    chatgptPlanType: z.string().nullable().optional(),
  }),
);
/** `account/login/start` with host-owned ChatGPT tokens, earlier shape `{idToken, accessToken}` (seed #10012). Accepted, not recommended. */
export const LegacyChatgptAuthTokensLoginAccountParams = titled(
  "LegacyChatgptAuthTokensLoginAccountParams",
  z.object({
    type: z.literal("chatgptAuthTokens"),
    idToken: z.string(),
    accessToken: z.string(),
  }),
);

/**
 * Params of `account/login/start`, tagged by `type`. Both `chatgptAuthTokens` shapes parse; the
 * current one is tried first.
 *
 * @example
 * LoginAccountParams.parse({ type: "apiKey", apiKey: "sk-..." });
 */
export const LoginAccountParams = named(
  "LoginAccountParams",
  z.union([
    ApiKeyLoginAccountParams,
    ChatgptLoginAccountParams,
    ChatgptDeviceCodeLoginAccountParams,
    ChatgptAuthTokensLoginAccountParams,
    LegacyChatgptAuthTokensLoginAccountParams,
  ]),
);
/** Params of `account/login/start`. */
export type LoginAccountParams = z.infer<typeof LoginAccountParams>;

/** Result of `account/login/start`, tagged by `type`. */
export const LoginAccountResponse = named(
  "LoginAccountResponse",
  z.discriminatedUnion("type", [
    titled("ApiKeyLoginAccountResponse", z.object({ type: z.literal("apiKey") })),
    titled(
      "ChatgptLoginAccountResponse",
      z.object({ type: z.literal("chatgpt"), loginId: z.string(), authUrl: z.string() }),
    ),
    titled(
      "ChatgptDeviceCodeLoginAccountResponse",
      z.object({
        type: z.literal("chatgptDeviceCode"),
        loginId: z.string(),
        verificationUrl: z.string(),
        userCode: z.string(),
      }),
    ),
    titled(
      "ChatgptAuthTokensLoginAccountResponse",
      z.object({ type: z.literal("chatgptAuthTokens") }),
    ),
  ]),
);
/** Result of `account/login/start`. */
export type LoginAccountResponse = z.infer<typeof LoginAccountResponse>;

/** Params of `account/login/cancel`. */
export const CancelLoginAccountParams = named(
  "CancelLoginAccountParams",
  z.object({ loginId: z.string() }),
);
/** Params of `account/login/cancel`. */
export type CancelLoginAccountParams = z.infer<typeof CancelLoginAccountParams>;

/** Result of `account/login/cancel`. */
export const CancelLoginAccountResponse = named(
  "CancelLoginAccountResponse",
  z.object({ status: z.enum(["canceled", "notFound"]) }),
);
/** Result of `account/login/cancel`. */
export type CancelLoginAccountResponse = z.infer<typeof CancelLoginAccountResponse>;

/** Result of `account/logout`: `{}`. */
export const LogoutAccountResponse = named("LogoutAccountResponse", z.object({}));
/** Result of `account/logout`. */
export type LogoutAccountResponse = z.infer<typeof LogoutAccountResponse>;

/** Params of `account/login/completed`. `loginId` is `null` for API-key and external-token logins. */
export const AccountLoginCompletedNotification = named(
  "AccountLoginCompletedNotification",
  z.object({
    loginId: z.string().nullable().optional(),
    success: z.boolean(),
    error: z.string().nullable().optional(),
    onboardingEntrypoint: z.string().nullable().optional(),
  }),
);
/** Params of `account/login/completed`. */
export type AccountLoginCompletedNotification = z.infer<typeof AccountLoginCompletedNotification>;

/** Params of `account/updated`. */
export const AccountUpdatedNotification = named(
  "AccountUpdatedNotification",
  z.object({
    authMode: AuthMode.nullable().optional(),
    planType: PlanType.nullable().optional(),
    isWorkspaceOwner: z.boolean().nullable().optional(),
  }),
);
/** Params of `account/updated`. */
export type AccountUpdatedNotification = z.infer<typeof AccountUpdatedNotification>;

/** Params of the v1 `getAuthStatus` (still served by 0.169, absent from its generated schema). */
export const GetAuthStatusParams = named(
  "GetAuthStatusParams",
  z.object({
    includeToken: z.boolean().nullable().optional(),
    refreshToken: z.boolean().nullable().optional(),
  }),
);
/** Params of `getAuthStatus`. */
export type GetAuthStatusParams = z.infer<typeof GetAuthStatusParams>;

/** Result of `getAuthStatus`: `authToken` only with `includeToken: true`. */
export const GetAuthStatusResponse = named(
  "GetAuthStatusResponse",
  z.object({
    authMethod: AuthMode.nullable().optional(),
    authToken: z.string().nullable().optional(),
    requiresOpenaiAuth: z.boolean().nullable().optional(),
  }),
);
/** Result of `getAuthStatus`. */
export type GetAuthStatusResponse = z.infer<typeof GetAuthStatusResponse>;

import { formatRfc3339, isJsonObject, parseRfc3339, Secret } from "@codex/wire";
import { z } from "zod";
import { LoginError } from "./errors.js";
import { type IdTokenInfo, parseIdToken } from "./id-token.js";
import { parseWith } from "./internal/zod-error.js";
import { planTypeToString } from "./plan-type.js";

/**
 * Auth mode as written in auth.json (`auth_mode`) and on the app-server wire. `agentIdentity`
 * (upstream 0.169): the credential is the `agent_identity` member, there are no tokens.
 */
export type AuthMode = "apikey" | "chatgpt" | "chatgptAuthTokens" | "agentIdentity";

/** The auth modes, in wire spelling. */
export const AUTH_MODES: readonly AuthMode[] = [
  "apikey",
  "chatgpt",
  "chatgptAuthTokens",
  "agentIdentity",
];

/**
 * `tokens.oauth_provenance` (upstream 0.169): the issuer a ChatGPT login was made at and its
 * client id. A refresh goes there with that client id.
 */
export interface OAuthProvenance {
  /** `issuer`, as configured at login (no trailing slash). */
  readonly issuer: string;
  /** `client_id`. */
  readonly clientId: string;
  /** Unknown keys of the object, preserved on rewrite. */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

/** The `tokens` object of auth.json. */
export interface TokenData {
  /** Parsed claims of `id_token`; the raw JWT is kept in `idToken.rawJwt`. */
  readonly idToken: IdTokenInfo;
  /** `access_token`. */
  readonly accessToken: Secret;
  /** `refresh_token` (`""` for host-owned tokens). */
  readonly refreshToken: Secret;
  /** `oauth_provenance` (omitted when absent; written by ChatGPT logins, kept by refreshes). */
  readonly oauthProvenance?: OAuthProvenance | undefined;
  /**
   * `login_owner_id`: 32 random bytes, base64url without padding, new on every ChatGPT login
   * (omitted when absent; kept by refreshes).
   */
  readonly loginOwnerId?: Secret | undefined;
  /** `account_id` (always written, last, `null` when absent). */
  readonly accountId: string | null;
  /** Unknown keys of the `tokens` object, preserved on rewrite. */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The `agent_identity` record of auth.json, in upstream 0.169's shape
 * (`AgentIdentityAuthRecord`); also the credential of `auth_mode: "agentIdentity"`.
 */
export interface AgentIdentityRecord {
  /** `agent_runtime_id`. */
  readonly agentRuntimeId: string;
  /** `agent_private_key`: standard base64 (padded) of the Ed25519 PKCS#8 DER. */
  readonly agentPrivateKey: Secret;
  /** `account_id`: the ChatGPT account (workspace) the identity is bound to. */
  readonly accountId: string;
  /** `chatgpt_user_id`. */
  readonly chatgptUserId: string;
  /** `email`: read from a string, `null`, `""` or a missing key; written `""` when undefined. */
  readonly email?: string | undefined;
  /** `plan_type`: any string, kept verbatim (upstream rewrites unknown plans as `"unknown"`). */
  readonly planType: string;
  /** `chatgpt_account_is_fedramp`. */
  readonly chatgptAccountIsFedramp: boolean;
  /** `task_id`: the registered background task (omitted when absent). */
  readonly taskId?: string | undefined;
  /** Unknown keys of the record, preserved on rewrite. */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

/** The whole content of auth.json (upstream `AuthDotJson`), secrets wrapped. */
export interface AuthDotJson {
  /** `auth_mode` (omitted when absent). */
  readonly authMode?: AuthMode | undefined;
  /** `OPENAI_API_KEY` (written as `null` when absent). */
  readonly openaiApiKey: Secret | null;
  /** `tokens` (omitted when absent). */
  readonly tokens?: TokenData | undefined;
  /** `last_refresh`, chrono-style RFC 3339 UTC, nanoseconds kept (omitted when absent). */
  readonly lastRefresh?: string | undefined;
  /** `agent_identity` as a record (omitted when absent). */
  readonly agentIdentity?: AgentIdentityRecord | undefined;
  /**
   * `agent_identity` as a string (upstream's JWT form), kept verbatim; written only when
   * {@link AuthDotJson.agentIdentity} is absent.
   */
  readonly agentIdentityJwt?: Secret | undefined;
  /** Unknown top-level keys, preserved on rewrite (beyond upstream). */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

function corrupt(what: string, cause?: unknown): LoginError {
  return new LoginError("auth_file_corrupt", `auth.json is invalid: ${what}`, { cause });
}

/**
 * Sets an own enumerable property, whatever its name: a plain assignment of a key named
 * `__proto__` (which JSON.parse yields as an ordinary key) would replace the prototype instead,
 * and the field would vanish on rewrite.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Copies the keys of `from` that are not in `known` onto `target` (after its known keys). */
function copyUnknown(
  target: Record<string, unknown>,
  from: Readonly<Record<string, unknown>> | undefined,
  known: ReadonlySet<string>,
): Record<string, unknown> {
  for (const [k, v] of Object.entries(from ?? {})) if (!known.has(k)) setOwn(target, k, v);
  return target;
}

/** The unknown keys of `obj`, copied from the decoded JSON itself (never through a parser). */
function extraOf(obj: unknown, known: ReadonlySet<string>): Record<string, unknown> {
  return copyUnknown({}, isJsonObject(obj) ? obj : undefined, known);
}

// The on-disk shape, written once. Loose objects: unknown keys are allowed (and kept, see extraOf).
// `null` and an absent key mean the same for every optional field, as upstream's serde reads them.
const provenanceSchema = z.looseObject({ issuer: z.string(), client_id: z.string() });
const tokensSchema = z.looseObject({
  id_token: z.string(),
  access_token: z.string(),
  refresh_token: z.string(),
  oauth_provenance: provenanceSchema.nullish(),
  login_owner_id: z.string().nullish(),
  account_id: z.string().nullish(),
});
// 0.169's record (`AgentIdentityAuthRecord`), in its key order: six required members.
const agentIdentitySchema = z.looseObject({
  agent_runtime_id: z.string(),
  agent_private_key: z.string(),
  account_id: z.string(),
  chatgpt_user_id: z.string(),
  email: z.string().nullish(),
  plan_type: z.string(),
  chatgpt_account_is_fedramp: z.boolean(),
  task_id: z.string().nullish(),
});
// The record this package wrote before 0.169's shape was known (seed 002); migrated on read.
const seedAgentIdentitySchema = z.looseObject({
  workspace_id: z.string(),
  chatgpt_user_id: z.string().nullish(),
  agent_runtime_id: z.string(),
  agent_private_key: z.string(),
  registered_at: z.string(),
  background_task_id: z.string().nullish(),
});
const authDotJsonSchema = z.looseObject({
  auth_mode: z.enum(["apikey", "chatgpt", "chatgptAuthTokens", "agentIdentity"]).nullish(),
  OPENAI_API_KEY: z.string().nullish(),
  tokens: tokensSchema.nullish(),
  last_refresh: z.string().nullish(),
  // string (the JWT form) or an object, told apart below: a record with `account_id` is 0.169's,
  // one with `workspace_id` and no `account_id` is the seed-era record
  agent_identity: z
    .custom<string | Record<string, unknown> | null | undefined>(
      (v) => v === undefined || v === null || typeof v === "string" || isJsonObject(v),
      "must be a string (the JWT form) or a record object",
    )
    .optional(),
});

const TOP_KEYS: ReadonlySet<string> = new Set(authDotJsonSchema.keyof().options);
const TOKEN_KEYS: ReadonlySet<string> = new Set(tokensSchema.keyof().options);
const PROVENANCE_KEYS: ReadonlySet<string> = new Set(provenanceSchema.keyof().options);
const AGENT_KEYS: ReadonlySet<string> = new Set(agentIdentitySchema.keyof().options);
const SEED_AGENT_KEYS: ReadonlySet<string> = new Set(seedAgentIdentitySchema.keyof().options);

function tokenData(t: z.output<typeof tokensSchema>, raw: unknown): TokenData {
  let idToken: IdTokenInfo;
  try {
    idToken = parseIdToken(t.id_token);
  } catch (cause) {
    throw corrupt("tokens.id_token is not a valid ID token", cause);
  }
  const rawTokens = isJsonObject(raw) ? raw : {};
  const p = t.oauth_provenance;
  return {
    idToken,
    accessToken: new Secret(t.access_token),
    refreshToken: new Secret(t.refresh_token),
    oauthProvenance:
      p === undefined || p === null
        ? undefined
        : {
            issuer: p.issuer,
            clientId: p.client_id,
            extra: extraOf(rawTokens.oauth_provenance, PROVENANCE_KEYS),
          },
    loginOwnerId:
      t.login_owner_id === undefined || t.login_owner_id === null
        ? undefined
        : new Secret(t.login_owner_id),
    accountId: t.account_id ?? null,
    extra: extraOf(raw, TOKEN_KEYS),
  };
}

function agentIdentityRecord(raw: unknown): AgentIdentityRecord {
  const a = parseWith(
    agentIdentitySchema,
    raw,
    "auth_file_corrupt",
    "auth.json is invalid: agent_identity",
  );
  return {
    agentRuntimeId: a.agent_runtime_id,
    agentPrivateKey: new Secret(a.agent_private_key),
    accountId: a.account_id,
    chatgptUserId: a.chatgpt_user_id,
    email: a.email === undefined || a.email === null || a.email === "" ? undefined : a.email,
    planType: a.plan_type,
    chatgptAccountIsFedramp: a.chatgpt_account_is_fedramp,
    taskId: a.task_id ?? undefined,
    extra: extraOf(raw, AGENT_KEYS),
  };
}

/**
 * Migrates the seed-era record to 0.169's: `account_id` from `workspace_id`, `task_id` from
 * `background_task_id`, email, plan and FedRAMP from the id token (the ChatGPT login the record
 * was registered for), `chatgpt_user_id` from the record else the id token; `registered_at` is
 * dropped (0.169 has no such member). Other unknown keys stay.
 */
function migrateSeedRecord(raw: unknown, idToken: IdTokenInfo | undefined): AgentIdentityRecord {
  const a = parseWith(
    seedAgentIdentitySchema,
    raw,
    "auth_file_corrupt",
    "auth.json is invalid: agent_identity",
  );
  const plan = idToken?.chatgptPlanType;
  return {
    agentRuntimeId: a.agent_runtime_id,
    agentPrivateKey: new Secret(a.agent_private_key),
    accountId: a.workspace_id,
    chatgptUserId: a.chatgpt_user_id ?? idToken?.chatgptUserId ?? "",
    email: idToken?.email === "" ? undefined : idToken?.email,
    planType: plan === undefined ? "unknown" : planTypeToString(plan),
    chatgptAccountIsFedramp: idToken?.chatgptAccountIsFedramp ?? false,
    taskId: a.background_task_id ?? undefined,
    extra: extraOf(raw, SEED_AGENT_KEYS),
  };
}

/**
 * Parses already-decoded auth.json content (upstream field names) into {@link AuthDotJson}.
 * Unknown keys are kept in `extra`; a seed-era `agent_identity` record is migrated to 0.169's.
 *
 * @throws {LoginError} code `auth_file_corrupt` (the message names the field, never its value).
 */
export function authDotJsonFromJson(value: unknown): AuthDotJson {
  const auth = parseWith(authDotJsonSchema, value, "auth_file_corrupt", "auth.json is invalid");
  let lastRefresh: string | undefined;
  if (auth.last_refresh !== undefined && auth.last_refresh !== null) {
    const ts = parseRfc3339(auth.last_refresh);
    if (!ts) throw corrupt("last_refresh is not an RFC 3339 timestamp");
    lastRefresh = formatRfc3339(ts);
  }
  const raw = value as Record<string, unknown>;
  const tokens = auth.tokens ? tokenData(auth.tokens, raw.tokens) : undefined;
  const agent = auth.agent_identity;
  let agentIdentity: AgentIdentityRecord | undefined;
  let agentIdentityJwt: Secret | undefined;
  if (typeof agent === "string") {
    agentIdentityJwt = new Secret(agent);
  } else if (agent !== undefined && agent !== null) {
    agentIdentity =
      !("account_id" in agent) && "workspace_id" in agent
        ? migrateSeedRecord(raw.agent_identity, tokens?.idToken)
        : agentIdentityRecord(raw.agent_identity);
  }
  return {
    authMode: auth.auth_mode ?? undefined,
    openaiApiKey:
      auth.OPENAI_API_KEY === undefined || auth.OPENAI_API_KEY === null
        ? null
        : new Secret(auth.OPENAI_API_KEY),
    tokens,
    lastRefresh,
    agentIdentity,
    ...(agentIdentityJwt !== undefined ? { agentIdentityJwt } : {}),
    extra: extraOf(raw, TOP_KEYS),
  };
}

/**
 * Parses the text of auth.json.
 *
 * @throws {LoginError} code `auth_file_corrupt` for invalid JSON or wrong field types.
 * @example
 * ```ts
 * const auth = parseAuthDotJson('{"auth_mode":"apikey","OPENAI_API_KEY":"sk-test"}');
 * auth.openaiApiKey?.reveal(); // "sk-test"
 * ```
 */
export function parseAuthDotJson(text: string): AuthDotJson {
  if (typeof text !== "string") throw corrupt("content is not text");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt("not valid JSON (truncated or corrupt file?)");
  }
  return authDotJsonFromJson(value);
}

/**
 * Builds the on-disk JSON object in 0.169's key order (top level `auth_mode, OPENAI_API_KEY,
 * tokens, last_refresh, agent_identity`; tokens `id_token, access_token, refresh_token,
 * oauth_provenance, login_owner_id, account_id`; the record in its table order), unknown keys
 * last at each level.
 */
export function authDotJsonToJson(auth: AuthDotJson): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (auth.authMode !== undefined) out.auth_mode = auth.authMode;
  out.OPENAI_API_KEY = auth.openaiApiKey === null ? null : auth.openaiApiKey.reveal();
  if (auth.tokens !== undefined) {
    const t = auth.tokens;
    const tokens: Record<string, unknown> = {
      id_token: t.idToken.rawJwt.reveal(),
      access_token: t.accessToken.reveal(),
      refresh_token: t.refreshToken.reveal(),
    };
    if (t.oauthProvenance !== undefined) {
      const p = t.oauthProvenance;
      tokens.oauth_provenance = copyUnknown(
        { issuer: p.issuer, client_id: p.clientId },
        p.extra,
        PROVENANCE_KEYS,
      );
    }
    if (t.loginOwnerId !== undefined) tokens.login_owner_id = t.loginOwnerId.reveal();
    tokens.account_id = t.accountId;
    out.tokens = copyUnknown(tokens, t.extra, TOKEN_KEYS);
  }
  if (auth.lastRefresh !== undefined) out.last_refresh = auth.lastRefresh;
  if (auth.agentIdentity !== undefined) {
    const a = auth.agentIdentity;
    const rec: Record<string, unknown> = {
      agent_runtime_id: a.agentRuntimeId,
      agent_private_key: a.agentPrivateKey.reveal(),
      account_id: a.accountId,
      chatgpt_user_id: a.chatgptUserId,
      email: a.email ?? "",
      plan_type: a.planType,
      chatgpt_account_is_fedramp: a.chatgptAccountIsFedramp,
    };
    if (a.taskId !== undefined) rec.task_id = a.taskId;
    out.agent_identity = copyUnknown(rec, a.extra, AGENT_KEYS);
  } else if (auth.agentIdentityJwt !== undefined) {
    out.agent_identity = auth.agentIdentityJwt.reveal();
  }
  return copyUnknown(out, auth.extra, TOP_KEYS);
}

/**
 * Serializes to the exact bytes upstream writes: pretty JSON, 2-space indent, no trailing newline.
 *
 * @example
 * ```ts
 * serializeAuthDotJson({ authMode: "apikey", openaiApiKey: new Secret("sk-test") });
 * // '{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "sk-test"\n}'
 * ```
 */
export function serializeAuthDotJson(auth: AuthDotJson): string {
  return JSON.stringify(authDotJsonToJson(auth), null, 2);
}

/** Compact JSON, as stored in the keyring. */
export function serializeAuthDotJsonCompact(auth: AuthDotJson): string {
  return JSON.stringify(authDotJsonToJson(auth));
}

/** Whole-value equality (same bytes on disk). */
export function authDotJsonEquals(a: AuthDotJson | undefined, b: AuthDotJson | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return serializeAuthDotJsonCompact(a) === serializeAuthDotJsonCompact(b);
}

/**
 * The mode a stored auth resolves to: `auth_mode`, else `apikey` when `OPENAI_API_KEY` is
 * non-null (even `""`), else `chatgpt`.
 */
export function resolvedAuthMode(auth: AuthDotJson): AuthMode {
  if (auth.authMode !== undefined) return auth.authMode;
  return auth.openaiApiKey !== null ? "apikey" : "chatgpt";
}

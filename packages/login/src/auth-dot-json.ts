import { isJsonObject, Secret } from "@codex/wire";
import { z } from "zod";
import { LoginError } from "./errors.js";
import { type IdTokenInfo, parseIdToken } from "./id-token.js";
import { formatTimestamp, parseTimestamp } from "./internal/timestamp.js";
import { parseWith } from "./internal/zod-error.js";

/** Auth mode as written in auth.json (`auth_mode`) and on the app-server wire. */
export type AuthMode = "apikey" | "chatgpt" | "chatgptAuthTokens";

/** The auth modes, in wire spelling. */
export const AUTH_MODES: readonly AuthMode[] = ["apikey", "chatgpt", "chatgptAuthTokens"];

/** The `tokens` object of auth.json. */
export interface TokenData {
  /** Parsed claims of `id_token`; the raw JWT is kept in `idToken.rawJwt`. */
  readonly idToken: IdTokenInfo;
  /** `access_token`. */
  readonly accessToken: Secret;
  /** `refresh_token` (`""` for host-owned tokens). */
  readonly refreshToken: Secret;
  /** `account_id` (always written, `null` when absent). */
  readonly accountId: string | null;
  /** Unknown keys of the `tokens` object, preserved on rewrite. */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

/** The `agent_identity` object of auth.json (seed 002). */
export interface AgentIdentityRecord {
  /** `workspace_id`. */
  readonly workspaceId: string;
  /** `chatgpt_user_id` (omitted when absent). */
  readonly chatgptUserId?: string | undefined;
  /** `agent_runtime_id`. */
  readonly agentRuntimeId: string;
  /** `agent_private_key`: base64 of the Ed25519 PKCS#8 DER. */
  readonly agentPrivateKey: Secret;
  /** `registered_at`: RFC 3339 seconds with `Z`, kept verbatim. */
  readonly registeredAt: string;
  /** `background_task_id` (omitted when absent). */
  readonly backgroundTaskId?: string | undefined;
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
  /** `last_refresh`, chrono-style RFC 3339 UTC (omitted when absent). */
  readonly lastRefresh?: string | undefined;
  /** `agent_identity` (omitted when absent). */
  readonly agentIdentity?: AgentIdentityRecord | undefined;
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
const tokensSchema = z.looseObject({
  id_token: z.string(),
  access_token: z.string(),
  refresh_token: z.string(),
  account_id: z.string().nullish(),
});
const agentIdentitySchema = z.looseObject({
  workspace_id: z.string(),
  chatgpt_user_id: z.string().nullish(),
  agent_runtime_id: z.string(),
  agent_private_key: z.string(),
  registered_at: z.string(),
  background_task_id: z.string().nullish(),
});
const authDotJsonSchema = z.looseObject({
  auth_mode: z.enum(["apikey", "chatgpt", "chatgptAuthTokens"]).nullish(),
  OPENAI_API_KEY: z.string().nullish(),
  tokens: tokensSchema.nullish(),
  last_refresh: z.string().nullish(),
  agent_identity: agentIdentitySchema.nullish(),
});

const TOP_KEYS: ReadonlySet<string> = new Set(authDotJsonSchema.keyof().options);
const TOKEN_KEYS: ReadonlySet<string> = new Set(tokensSchema.keyof().options);
const AGENT_KEYS: ReadonlySet<string> = new Set(agentIdentitySchema.keyof().options);

function tokenData(t: z.output<typeof tokensSchema>, raw: unknown): TokenData {
  let idToken: IdTokenInfo;
  try {
    idToken = parseIdToken(t.id_token);
  } catch (cause) {
    throw corrupt("tokens.id_token is not a valid ID token", cause);
  }
  return {
    idToken,
    accessToken: new Secret(t.access_token),
    refreshToken: new Secret(t.refresh_token),
    accountId: t.account_id ?? null,
    extra: extraOf(raw, TOKEN_KEYS),
  };
}

function agentIdentityRecord(
  a: z.output<typeof agentIdentitySchema>,
  raw: unknown,
): AgentIdentityRecord {
  return {
    workspaceId: a.workspace_id,
    chatgptUserId: a.chatgpt_user_id ?? undefined,
    agentRuntimeId: a.agent_runtime_id,
    agentPrivateKey: new Secret(a.agent_private_key),
    registeredAt: a.registered_at,
    backgroundTaskId: a.background_task_id ?? undefined,
    extra: extraOf(raw, AGENT_KEYS),
  };
}

/**
 * Parses already-decoded auth.json content (upstream field names) into {@link AuthDotJson}.
 * Unknown keys are kept in `extra`.
 *
 * @throws {LoginError} code `auth_file_corrupt` (the message names the field, never its value).
 */
export function authDotJsonFromJson(value: unknown): AuthDotJson {
  const auth = parseWith(authDotJsonSchema, value, "auth_file_corrupt", "auth.json is invalid");
  let lastRefresh: string | undefined;
  if (auth.last_refresh !== undefined && auth.last_refresh !== null) {
    const ts = parseTimestamp(auth.last_refresh);
    if (!ts) throw corrupt("last_refresh is not an RFC 3339 timestamp");
    lastRefresh = formatTimestamp(ts);
  }
  const raw = value as Record<string, unknown>;
  return {
    authMode: auth.auth_mode ?? undefined,
    openaiApiKey:
      auth.OPENAI_API_KEY === undefined || auth.OPENAI_API_KEY === null
        ? null
        : new Secret(auth.OPENAI_API_KEY),
    tokens: auth.tokens ? tokenData(auth.tokens, raw.tokens) : undefined,
    lastRefresh,
    agentIdentity: auth.agent_identity
      ? agentIdentityRecord(auth.agent_identity, raw.agent_identity)
      : undefined,
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

/** Builds the on-disk JSON object (upstream key order, unknown keys last). */
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
      account_id: t.accountId,
    };
    out.tokens = copyUnknown(tokens, t.extra, TOKEN_KEYS);
  }
  if (auth.lastRefresh !== undefined) out.last_refresh = auth.lastRefresh;
  if (auth.agentIdentity !== undefined) {
    const a = auth.agentIdentity;
    const rec: Record<string, unknown> = { workspace_id: a.workspaceId };
    if (a.chatgptUserId !== undefined) rec.chatgpt_user_id = a.chatgptUserId;
    rec.agent_runtime_id = a.agentRuntimeId;
    rec.agent_private_key = a.agentPrivateKey.reveal();
    rec.registered_at = a.registeredAt;
    if (a.backgroundTaskId !== undefined) rec.background_task_id = a.backgroundTaskId;
    out.agent_identity = copyUnknown(rec, a.extra, AGENT_KEYS);
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

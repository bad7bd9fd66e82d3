/**
 * `@codex/login/testing`: helpers for tests in any package. Encodes fake (unsigned) JWTs and writes
 * auth.json like upstream's `ChatGptAuthFixture`.
 */
import { formatRfc3339, instantFromMillis, Secret } from "@codex/wire";
import type { AgentIdentityRecord, AuthDotJson } from "../auth-dot-json.js";
import { parseIdToken } from "../id-token.js";
import type { AuthCredentialsStoreMode } from "../storage/auth-storage.js";
import { createAuthStorage } from "../storage/create-auth-storage.js";

/** Claims of a fake ChatGPT id token. */
export interface ChatGptIdTokenClaims {
  readonly email?: string | undefined;
  readonly planType?: string | undefined;
  readonly chatgptUserId?: string | undefined;
  readonly chatgptAccountId?: string | undefined;
  readonly fedramp?: boolean | undefined;
  /** Extra top-level claims (`exp`, `iat`, ...). */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/**
 * Encodes an unsigned JWT (`alg: none`) with the given payload.
 *
 * @example
 * ```ts
 * encodeJwt({ exp: 1767225600 }); // "eyJ...eyJ...c2lnbmF0dXJl"
 * ```
 */
export function encodeJwt(payload: Readonly<Record<string, unknown>>): string {
  return `${b64url({ alg: "none", typ: "JWT" })}.${b64url(payload)}.${Buffer.from("signature").toString("base64url")}`;
}

/**
 * Encodes a fake ChatGPT id token (the shape upstream's `encode_id_token` writes).
 *
 * @example
 * ```ts
 * const idToken = encodeIdToken({ email: "a@example.com", chatgptAccountId: "ws-1" });
 * ```
 */
export function encodeIdToken(claims: ChatGptIdTokenClaims = {}): string {
  const payload: Record<string, unknown> = { ...claims.extra };
  if (claims.email !== undefined) payload.email = claims.email;
  const auth: Record<string, unknown> = {};
  if (claims.planType !== undefined) auth.chatgpt_plan_type = claims.planType;
  if (claims.chatgptUserId !== undefined) auth.chatgpt_user_id = claims.chatgptUserId;
  if (claims.chatgptAccountId !== undefined) auth.chatgpt_account_id = claims.chatgptAccountId;
  if (claims.fedramp !== undefined) auth.chatgpt_account_is_fedramp = claims.fedramp;
  if (Object.keys(auth).length > 0) payload["https://api.openai.com/auth"] = auth;
  return encodeJwt(payload);
}

/**
 * Encodes a fake access token whose `exp` (seconds since the epoch) drives proactive refresh.
 */
export function encodeAccessToken(
  options: { exp?: number; claims?: ChatGptIdTokenClaims } = {},
): string {
  const base = options.claims ?? {};
  return encodeIdToken({
    ...base,
    extra: { ...base.extra, ...(options.exp !== undefined ? { exp: options.exp } : {}) },
  });
}

/**
 * Builder of a fake ChatGPT `auth.json`.
 *
 * @example
 * ```ts
 * await new ChatGptAuthFixture("access-1").accountId("ws-1").email("a@example.com").write(codexHome);
 * ```
 */
export class ChatGptAuthFixture {
  #accessToken: string;
  #refreshToken = "refresh-token";
  #accountId: string | null = null;
  #claims: ChatGptIdTokenClaims = {};
  #lastRefresh: Date | null | undefined;
  #agentIdentity: AgentIdentityRecord | undefined;
  #provenance: { issuer: string; clientId: string } | undefined;
  #loginOwnerId: string | undefined;
  #extra: Record<string, unknown> = {};

  constructor(accessToken: string) {
    this.#accessToken = accessToken;
  }

  /** Sets `refresh_token` (default `"refresh-token"`). */
  refreshToken(value: string): this {
    this.#refreshToken = value;
    return this;
  }

  /** Sets `tokens.account_id`. */
  accountId(value: string): this {
    this.#accountId = value;
    return this;
  }

  /** Sets the `chatgpt_plan_type` claim. */
  planType(value: string): this {
    this.#claims = { ...this.#claims, planType: value };
    return this;
  }

  /** Sets the `chatgpt_user_id` claim. */
  chatgptUserId(value: string): this {
    this.#claims = { ...this.#claims, chatgptUserId: value };
    return this;
  }

  /** Sets the `chatgpt_account_id` claim. */
  chatgptAccountId(value: string): this {
    this.#claims = { ...this.#claims, chatgptAccountId: value };
    return this;
  }

  /** Sets the `email` claim. */
  email(value: string): this {
    this.#claims = { ...this.#claims, email: value };
    return this;
  }

  /** Sets the FedRAMP claim. */
  fedramp(value: boolean): this {
    this.#claims = { ...this.#claims, fedramp: value };
    return this;
  }

  /** Sets `last_refresh` (`null` = omitted; default now). */
  lastRefresh(value: Date | null): this {
    this.#lastRefresh = value;
    return this;
  }

  /** Replaces all id-token claims. */
  claims(value: ChatGptIdTokenClaims): this {
    this.#claims = value;
    return this;
  }

  /** Sets `tokens.oauth_provenance` (the issuer and client id the login was made with). */
  oauthProvenance(issuer: string, clientId: string): this {
    this.#provenance = { issuer, clientId };
    return this;
  }

  /** Sets `tokens.login_owner_id`. */
  loginOwnerId(value: string): this {
    this.#loginOwnerId = value;
    return this;
  }

  /** Adds an `agent_identity` record. */
  agentIdentity(record: AgentIdentityRecord): this {
    this.#agentIdentity = record;
    return this;
  }

  /** Adds unknown top-level keys (to test that they survive rewrites). */
  extra(fields: Readonly<Record<string, unknown>>): this {
    this.#extra = { ...this.#extra, ...fields };
    return this;
  }

  /** The {@link AuthDotJson} this fixture describes. */
  build(now: Date = new Date()): AuthDotJson {
    const lastRefresh = this.#lastRefresh === undefined ? now : this.#lastRefresh;
    return {
      authMode: "chatgpt",
      openaiApiKey: null,
      tokens: {
        idToken: parseIdToken(encodeIdToken(this.#claims)),
        accessToken: new Secret(this.#accessToken),
        refreshToken: new Secret(this.#refreshToken),
        oauthProvenance: this.#provenance,
        loginOwnerId: this.#loginOwnerId === undefined ? undefined : new Secret(this.#loginOwnerId),
        accountId: this.#accountId,
      },
      lastRefresh:
        lastRefresh === null ? undefined : formatRfc3339(instantFromMillis(lastRefresh.getTime())),
      agentIdentity: this.#agentIdentity,
      extra: this.#extra,
    };
  }

  /** Writes the fixture to the store of `codexHome` (default: the file store). */
  async write(codexHome: string, mode: AuthCredentialsStoreMode = "file"): Promise<AuthDotJson> {
    const auth = this.build();
    await createAuthStorage({ codexHome, mode }).save(auth);
    return auth;
  }
}

/** Writes an API-key auth (`{"auth_mode":"apikey","OPENAI_API_KEY":key}`) to `codexHome`. */
export async function writeApiKeyAuth(
  codexHome: string,
  apiKey: string,
  mode: AuthCredentialsStoreMode = "file",
): Promise<AuthDotJson> {
  const auth: AuthDotJson = { authMode: "apikey", openaiApiKey: new Secret(apiKey) };
  await createAuthStorage({ codexHome, mode }).save(auth);
  return auth;
}

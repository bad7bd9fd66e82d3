import { randomBytes } from "node:crypto";
import type { HttpClient } from "@codex/http";
import { formatRfc3339, instantFromMillis, type Logger, Secret, silentLogger } from "@codex/wire";
import type { AuthDotJson } from "../auth-dot-json.js";
import { LoginError } from "../errors.js";
import type { IdTokenInfo } from "../id-token.js";
import type { AuthStorage } from "../storage/auth-storage.js";
import type { ExchangedTokens } from "../token-endpoint.js";
import { revokeAuthTokensBestEffort } from "./revoke.js";

/** What the login flows need from an `AuthManager`. */
export interface LoginAuthManager {
  readonly storage: AuthStorage;
  reload(): Promise<boolean>;
}

/** Input of {@link persistChatgptLogin}. */
export interface PersistLoginInput {
  readonly storage: AuthStorage;
  readonly tokens: ExchangedTokens;
  /** The parsed id token of `tokens.idToken`. */
  readonly idToken: IdTokenInfo;
  /** The exchanged API key, or `null`. */
  readonly apiKey: Secret | null;
  readonly now: Date;
  /**
   * The issuer the login was made at, as configured (trailing slashes removed), and its client
   * id: written as `tokens.oauth_provenance`, where refreshes then go.
   */
  readonly provenance: { readonly issuer: string; readonly clientId: string };
  /** Randomness of `login_owner_id` (default `node:crypto`; tests). */
  readonly randomBytes?: ((size: number) => Uint8Array) | undefined;
  /** When set, tokens of the previous managed login are revoked (best effort) if they differ. */
  readonly revoke?:
    | {
        readonly http: HttpClient;
        readonly issuer?: string | undefined;
        readonly clientId?: string | undefined;
        readonly env?: Readonly<Record<string, string | undefined>> | undefined;
      }
    | undefined;
  readonly logger?: Logger | undefined;
}

/** Size of `login_owner_id` before encoding (upstream 0.169: 32 bytes → 43 base64url chars). */
export const LOGIN_OWNER_ID_BYTES = 32;

/** A fresh `login_owner_id`: 32 random bytes, base64url without padding. */
export function newLoginOwnerId(
  random: (size: number) => Uint8Array = (size) => randomBytes(size),
): Secret {
  const bytes = random(LOGIN_OWNER_ID_BYTES);
  if (!(bytes instanceof Uint8Array) || bytes.length !== LOGIN_OWNER_ID_BYTES) {
    throw new LoginError(
      "invalid_argument",
      `randomBytes must return ${LOGIN_OWNER_ID_BYTES} bytes`,
    );
  }
  return new Secret(Buffer.from(bytes).toString("base64url"));
}

/**
 * Builds the auth.json content a ChatGPT login writes, as upstream 0.169 does: `auth_mode:
 * "chatgpt"`, the API key or `null`, the tokens with `oauth_provenance` (issuer as configured,
 * client id), a fresh `login_owner_id` and `account_id` = the id token's `chatgpt_account_id`
 * claim (else `null`), `last_refresh` = now, and no `agent_identity` (a new login drops the
 * identity).
 */
export function chatgptLoginAuthDotJson(input: Omit<PersistLoginInput, "storage">): AuthDotJson {
  return {
    authMode: "chatgpt",
    openaiApiKey: input.apiKey,
    tokens: {
      idToken: input.idToken,
      accessToken: input.tokens.accessToken,
      refreshToken: input.tokens.refreshToken,
      oauthProvenance: {
        issuer: input.provenance.issuer.replace(/\/+$/, ""),
        clientId: input.provenance.clientId,
      },
      loginOwnerId: newLoginOwnerId(input.randomBytes),
      accountId: input.idToken.chatgptAccountId ?? null,
    },
    lastRefresh: formatRfc3339(instantFromMillis(input.now.getTime())),
  };
}

/**
 * Persists a completed ChatGPT login to the configured store, then revokes (best effort) the
 * managed tokens it supersedes.
 *
 * @throws {LoginError} code `persist_failed` when the store cannot be written.
 */
export async function persistChatgptLogin(input: PersistLoginInput): Promise<AuthDotJson> {
  const logger = input.logger ?? silentLogger;
  let previous: AuthDotJson | undefined;
  try {
    previous = await input.storage.load();
  } catch {
    previous = undefined;
  }
  const next = chatgptLoginAuthDotJson(input);
  try {
    await input.storage.save(next);
  } catch (cause) {
    throw new LoginError(
      "persist_failed",
      "Sign-in completed but credentials could not be saved locally.",
      { cause },
    );
  }
  const prevTokens = previous?.tokens;
  if (input.revoke !== undefined && previous !== undefined && prevTokens !== undefined) {
    const same =
      prevTokens.refreshToken.reveal() === input.tokens.refreshToken.reveal() &&
      prevTokens.accessToken.reveal() === input.tokens.accessToken.reveal();
    if (!same) {
      await revokeAuthTokensBestEffort(previous, {
        ...input.revoke,
        logger,
        context: "failed to revoke superseded auth tokens after login",
      });
    }
  }
  return next;
}

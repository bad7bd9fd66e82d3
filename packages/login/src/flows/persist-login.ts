import type { HttpClient } from "@codex/http";
import type { Logger, Secret } from "@codex/wire";
import { silentLogger } from "@codex/wire";
import type { AuthDotJson } from "../auth-dot-json.js";
import { LoginError } from "../errors.js";
import type { IdTokenInfo } from "../id-token.js";
import { formatTimestamp, timestampFromDate } from "../internal/timestamp.js";
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

/**
 * Builds the auth.json content a ChatGPT login writes: `auth_mode: "chatgpt"`, the API key or
 * `null`, the tokens with `account_id` = the id token's `chatgpt_account_id` claim (else `null`),
 * `last_refresh` = now, and no `agent_identity` (a new login drops the identity).
 */
export function chatgptLoginAuthDotJson(input: Omit<PersistLoginInput, "storage">): AuthDotJson {
  return {
    authMode: "chatgpt",
    openaiApiKey: input.apiKey,
    tokens: {
      idToken: input.idToken,
      accessToken: input.tokens.accessToken,
      refreshToken: input.tokens.refreshToken,
      accountId: input.idToken.chatgptAccountId ?? null,
    },
    lastRefresh: formatTimestamp(timestampFromDate(input.now)),
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

import type { Secret } from "@codex/wire";

/** Why the host is asked for new tokens. */
export type ExternalAuthRefreshReason = "unauthorized";

/** What the host refresher receives (app-server: `account/chatgptAuthTokens/refresh`). */
export interface ExternalAuthRefreshContext {
  readonly reason: ExternalAuthRefreshReason;
  /** `tokens.account_id` of the tokens that were rejected. */
  readonly previousAccountId: string | undefined;
  /** Aborted when the manager stops waiting (timeout). */
  readonly signal: AbortSignal;
}

/** ChatGPT metadata of host-supplied tokens. */
export interface ExternalChatgptMetadata {
  readonly accountId: string;
  /** Raw plan value (lower-cased before matching). */
  readonly planType?: string | undefined;
}

/** The host's answer. */
export interface ExternalAuthTokens {
  readonly accessToken: string | Secret;
  readonly chatgptMetadata?: ExternalChatgptMetadata | undefined;
}

/**
 * A host application that owns the user's ChatGPT tokens (`chatgptAuthTokens` mode) and refreshes
 * them on request.
 *
 * @example
 * ```ts
 * const externalAuth: ExternalAuth = {
 *   async refresh({ previousAccountId, signal }) {
 *     return { accessToken: await host.newToken(signal), chatgptMetadata: { accountId: "ws-1" } };
 *   },
 * };
 * ```
 */
export interface ExternalAuth {
  refresh(context: ExternalAuthRefreshContext): Promise<ExternalAuthTokens>;
}

import type { Secret } from "@codex/wire";
import type { CodexAuth } from "../codex-auth.js";

/** Which ChatGPT account (workspace) and user an agent identity is bound to. */
export interface AgentIdentityBinding {
  /** `chatgpt-account-{account}`. */
  readonly bindingId: string;
  /** The workspace: the forced workspace id, else `tokens.account_id`. */
  readonly chatgptAccountId: string;
  /** The id token's `chatgpt_user_id`, when non-empty. */
  readonly chatgptUserId: string | undefined;
  /** The ChatGPT access token (used only to mint the human biscuit). */
  readonly accessToken: Secret;
}

/**
 * The binding of a ChatGPT auth (upstream `AgentIdentityBinding::from_auth`): needs ChatGPT-kind
 * auth with token data; the account is `forcedWorkspaceId` when non-empty, else
 * `tokens.account_id` when non-empty, else there is no binding.
 *
 * @example
 * ```ts
 * agentIdentityBindingFromAuth(auth)?.bindingId; // "chatgpt-account-ws-123"
 * ```
 */
export function agentIdentityBindingFromAuth(
  auth: CodexAuth | undefined,
  forcedWorkspaceId?: string | undefined,
): AgentIdentityBinding | undefined {
  if (auth === undefined || !auth.isChatgptAuth()) return undefined;
  let tokens: ReturnType<CodexAuth["getTokenData"]>;
  try {
    tokens = auth.getTokenData();
  } catch {
    return undefined;
  }
  const account =
    forcedWorkspaceId !== undefined && forcedWorkspaceId !== ""
      ? forcedWorkspaceId
      : tokens.accountId !== null && tokens.accountId !== ""
        ? tokens.accountId
        : undefined;
  if (account === undefined) return undefined;
  const user = tokens.idToken.chatgptUserId;
  return {
    bindingId: `chatgpt-account-${account}`,
    chatgptAccountId: account,
    chatgptUserId: user !== undefined && user !== "" ? user : undefined,
    accessToken: tokens.accessToken,
  };
}

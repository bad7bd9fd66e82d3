import type { Secret } from "@codex/wire";
import type { CodexAuth } from "../codex-auth.js";
import { planTypeToString } from "../plan-type.js";

/** Which ChatGPT account (workspace) and user an agent identity is bound to. */
export interface AgentIdentityBinding {
  /** `chatgpt-account-{account}`. */
  readonly bindingId: string;
  /** The workspace: the forced workspace id, else `tokens.account_id`. */
  readonly chatgptAccountId: string;
  /** The id token's `chatgpt_user_id`, when non-empty. */
  readonly chatgptUserId: string | undefined;
  /** The id token's email (stored in a new identity record), when non-empty. */
  readonly email: string | undefined;
  /** The id token's plan as upstream writes it (`"unknown"` without a claim). */
  readonly planType: string;
  /** The id token's `chatgpt_account_is_fedramp`. */
  readonly chatgptAccountIsFedramp: boolean;
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
  const { idToken } = tokens;
  const user = idToken.chatgptUserId;
  return {
    bindingId: `chatgpt-account-${account}`,
    chatgptAccountId: account,
    chatgptUserId: user !== undefined && user !== "" ? user : undefined,
    email: idToken.email !== undefined && idToken.email !== "" ? idToken.email : undefined,
    planType:
      idToken.chatgptPlanType === undefined ? "unknown" : planTypeToString(idToken.chatgptPlanType),
    chatgptAccountIsFedramp: idToken.chatgptAccountIsFedramp,
    accessToken: tokens.accessToken,
  };
}

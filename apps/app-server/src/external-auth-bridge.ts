import { type ProtocolPeer, rpcErrorOf } from "@codex/app-server-protocol";
import type { ExternalAuth, ExternalAuthTokens } from "@codex/login";
import { AppServerError } from "./app-server-error.js";

/**
 * The host refresher of `chatgptAuthTokens` mode: asks the connection
 * `account/chatgptAuthTokens/refresh {reason, previousAccountId}` and hands the answer to login,
 * which bounds the wait (`auth refresh request timed out after 10s`) and checks the forced
 * workspace. A JSON-RPC error answer fails with `auth refresh request failed: code=<code>` (the
 * client's message is not repeated, as in 0.169).
 *
 * @example
 * auth.setExternalAuth(externalAuthBridge(peer));
 */
export function externalAuthBridge(peer: ProtocolPeer<"server">): ExternalAuth {
  return {
    async refresh({ reason, previousAccountId, signal }): Promise<ExternalAuthTokens> {
      let answer: Awaited<ReturnType<typeof peer.request<"account/chatgptAuthTokens/refresh">>>;
      try {
        answer = await peer.request(
          "account/chatgptAuthTokens/refresh",
          { reason, previousAccountId: previousAccountId ?? null },
          { signal },
        );
      } catch (error) {
        const rpc = rpcErrorOf(error);
        if (rpc !== undefined) {
          throw new AppServerError(
            "auth_refresh_failed",
            `auth refresh request failed: code=${rpc.code}`,
          );
        }
        throw new AppServerError("auth_refresh_failed", "auth refresh request failed", {
          cause: error,
        });
      }
      if (!("chatgptAccountId" in answer)) {
        // the earlier {idToken, accessToken} answer carries no workspace: login refuses it
        return { accessToken: answer.accessToken };
      }
      return {
        accessToken: answer.accessToken,
        chatgptMetadata: {
          accountId: answer.chatgptAccountId,
          planType: answer.chatgptPlanType ?? undefined,
        },
      };
    },
  };
}

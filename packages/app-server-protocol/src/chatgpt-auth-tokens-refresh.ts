import { z } from "zod";
import { named, titled } from "./internal/schema-registry.js";

/** Why the server asks for fresh tokens (only `unauthorized`: a backend call returned 401). */
export const ChatgptAuthTokensRefreshReason = named(
  "ChatgptAuthTokensRefreshReason",
  z.enum(["unauthorized"]),
);
/** Why the server asks for fresh tokens. */
export type ChatgptAuthTokensRefreshReason = z.infer<typeof ChatgptAuthTokensRefreshReason>;

/** Params of the server request `account/chatgptAuthTokens/refresh`. */
export const ChatgptAuthTokensRefreshParams = named(
  "ChatgptAuthTokensRefreshParams",
  z.object({
    reason: ChatgptAuthTokensRefreshReason,
    previousAccountId: z.string().nullable().optional(),
  }),
);
/** Params of `account/chatgptAuthTokens/refresh`. */
export type ChatgptAuthTokensRefreshParams = z.infer<typeof ChatgptAuthTokensRefreshParams>;

/**
 * Result the client returns for `account/chatgptAuthTokens/refresh`: the current shape
 * `{accessToken, chatgptAccountId, chatgptPlanType}` or the earlier `{idToken, accessToken}`.
 *
 * @example
 * ChatgptAuthTokensRefreshResponse.parse({ accessToken: "eyJ...", chatgptAccountId: "ws-1", chatgptPlanType: "pro" });
 */
export const ChatgptAuthTokensRefreshResponse = named(
  "ChatgptAuthTokensRefreshResponse",
  z.union([
    titled(
      "CurrentChatgptAuthTokensRefreshResponse",
      z.object({
        accessToken: z.string(),
        chatgptAccountId: z.string(),
        chatgptPlanType: z.string().nullable().optional(),
      }),
    ),
    titled(
      "LegacyChatgptAuthTokensRefreshResponse",
      z.object({ idToken: z.string(), accessToken: z.string() }),
    ),
  ]),
);
/** Result of `account/chatgptAuthTokens/refresh`. */
export type ChatgptAuthTokensRefreshResponse = z.infer<typeof ChatgptAuthTokensRefreshResponse>;

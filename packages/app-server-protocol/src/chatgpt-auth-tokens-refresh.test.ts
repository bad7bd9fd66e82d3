import { describe, expect, it } from "vitest";
import {
  ChatgptAuthTokensRefreshParams,
  ChatgptAuthTokensRefreshResponse,
} from "./chatgpt-auth-tokens-refresh.js";

describe("account/chatgptAuthTokens/refresh", () => {
  it("parses params with previousAccountId present, null or absent", () => {
    expect(
      ChatgptAuthTokensRefreshParams.parse({ reason: "unauthorized", previousAccountId: "ws-123" }),
    ).toEqual({
      reason: "unauthorized",
      previousAccountId: "ws-123",
    });
    expect(
      ChatgptAuthTokensRefreshParams.parse({ reason: "unauthorized", previousAccountId: null })
        .previousAccountId,
    ).toBeNull();
    expect(ChatgptAuthTokensRefreshParams.parse({ reason: "unauthorized" })).toEqual({
      reason: "unauthorized",
    });
    expect(ChatgptAuthTokensRefreshParams.safeParse({ reason: "expired" }).success).toBe(false);
  });

  it("accepts the current and the earlier result shapes", () => {
    expect(
      ChatgptAuthTokensRefreshResponse.parse({
        accessToken: "eyJ",
        chatgptAccountId: "ws-123",
        chatgptPlanType: "pro",
      }),
    ).toEqual({ accessToken: "eyJ", chatgptAccountId: "ws-123", chatgptPlanType: "pro" });
    expect(ChatgptAuthTokensRefreshResponse.parse({ idToken: "id", accessToken: "eyJ" })).toEqual({
      idToken: "id",
      accessToken: "eyJ",
    });
    expect(ChatgptAuthTokensRefreshResponse.safeParse({ accessToken: "eyJ" }).success).toBe(false);
  });
});

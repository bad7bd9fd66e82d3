import { describe, expect, it } from "vitest";
import {
  Account,
  AccountLoginCompletedNotification,
  AccountUpdatedNotification,
  CancelLoginAccountResponse,
  GetAccountResponse,
  LoginAccountParams,
  LoginAccountResponse,
  PlanType,
} from "./account.js";

describe("LoginAccountParams", () => {
  it("parses all four variants", () => {
    expect(LoginAccountParams.parse({ type: "apiKey", apiKey: "sk-x" })).toEqual({
      type: "apiKey",
      apiKey: "sk-x",
    });
    expect(LoginAccountParams.parse({ type: "chatgpt" })).toEqual({ type: "chatgpt" });
    expect(LoginAccountParams.parse({ type: "chatgpt", useHostedLoginSuccessPage: true })).toEqual({
      type: "chatgpt",
      useHostedLoginSuccessPage: true,
    });
    expect(LoginAccountParams.parse({ type: "chatgptDeviceCode" })).toEqual({
      type: "chatgptDeviceCode",
    });
    expect(
      LoginAccountParams.parse({
        type: "chatgptAuthTokens",
        accessToken: "at",
        chatgptAccountId: "ws-1",
      }),
    ).toEqual({ type: "chatgptAuthTokens", accessToken: "at", chatgptAccountId: "ws-1" });
  });

  it("accepts both chatgptAuthTokens shapes: current {accessToken, chatgptAccountId, chatgptPlanType?} and earlier {idToken, accessToken}", () => {
    expect(
      LoginAccountParams.parse({
        type: "chatgptAuthTokens",
        accessToken: "at",
        chatgptAccountId: "ws-1",
        chatgptPlanType: null,
      }),
    ).toEqual({
      type: "chatgptAuthTokens",
      accessToken: "at",
      chatgptAccountId: "ws-1",
      chatgptPlanType: null,
    });
    expect(
      LoginAccountParams.parse({ type: "chatgptAuthTokens", idToken: "id", accessToken: "at" }),
    ).toEqual({
      type: "chatgptAuthTokens",
      idToken: "id",
      accessToken: "at",
    });
  });

  it.each([
    ["missing type", { apiKey: "x" }],
    ["unknown type", { type: "password" }],
    ["apiKey without key", { type: "apiKey" }],
    ["apiKey of the wrong type", { type: "apiKey", apiKey: 1 }],
    [
      "chatgptAuthTokens with only an access token",
      { type: "chatgptAuthTokens", accessToken: "at" },
    ],
    ["null", null],
    ["a string", "apiKey"],
  ])("rejects %s", (_name, value) => {
    expect(LoginAccountParams.safeParse(value).success).toBe(false);
  });
});

describe("account results and notifications", () => {
  it("reads unrecognised plan types as unknown", () => {
    expect(PlanType.parse("pro")).toBe("pro");
    expect(PlanType.parse("plan-from-the-future")).toBe("unknown");
    expect(PlanType.safeParse(7).success).toBe(false);
  });

  it("parses the account/read result shapes of the spec", () => {
    expect(GetAccountResponse.parse({ account: null, requiresOpenaiAuth: true })).toEqual({
      account: null,
      requiresOpenaiAuth: true,
    });
    expect(
      GetAccountResponse.parse({
        account: { type: "chatgpt", email: "a@example.com", planType: "plus" },
        requiresOpenaiAuth: true,
      }).account,
    ).toEqual({ type: "chatgpt", email: "a@example.com", planType: "plus" });
    expect(Account.safeParse({ type: "chatgpt" }).success).toBe(false);
    expect(GetAccountResponse.safeParse({ account: null }).success).toBe(false);
  });

  it("parses login results and cancel status", () => {
    expect(
      LoginAccountResponse.parse({
        type: "chatgptDeviceCode",
        loginId: "l",
        verificationUrl: "https://auth.example/device",
        userCode: "ABCD-1234",
      }),
    ).toMatchObject({ userCode: "ABCD-1234" });
    expect(LoginAccountResponse.safeParse({ type: "chatgpt", loginId: "l" }).success).toBe(false);
    expect(CancelLoginAccountResponse.parse({ status: "notFound" })).toEqual({
      status: "notFound",
    });
    expect(CancelLoginAccountResponse.safeParse({ status: "cancelled" }).success).toBe(false);
  });

  it("parses account notifications, with apikey spelled in lower case", () => {
    expect(
      AccountLoginCompletedNotification.parse({ loginId: null, success: true, error: null }),
    ).toEqual({
      loginId: null,
      success: true,
      error: null,
    });
    expect(AccountUpdatedNotification.parse({ authMode: "apikey", planType: null })).toEqual({
      authMode: "apikey",
      planType: null,
    });
    expect(AccountUpdatedNotification.safeParse({ authMode: "apiKey" }).success).toBe(false);
  });
});

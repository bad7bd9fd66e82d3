import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { expectLoginError, registerSecret } from "../test/support/capture.js";
import { parseIdToken } from "./id-token.js";
import { encodeIdToken, encodeJwt } from "./testing/index.js";

const AUTH = "https://api.openai.com/auth";

describe("parseIdToken", () => {
  it("reads email, plan, user, account and fedramp claims", () => {
    const raw = registerSecret(
      encodeIdToken({
        email: "a@example.com",
        planType: "pro",
        chatgptUserId: "user-1",
        chatgptAccountId: "ws-1",
        fedramp: true,
      }),
    );
    const info = parseIdToken(raw);
    expect(info.email).toBe("a@example.com");
    expect(info.chatgptPlanType).toEqual({ known: "pro" });
    expect(info.chatgptUserId).toBe("user-1");
    expect(info.chatgptAccountId).toBe("ws-1");
    expect(info.chatgptAccountIsFedramp).toBe(true);
    expect(info.rawJwt.reveal()).toBe(raw);
    expect(inspect(info)).not.toContain(raw);
    expect(JSON.stringify(info)).not.toContain(raw);
  });

  it("falls back to the profile email and user_id, unknown plans kept raw", () => {
    const info = parseIdToken(
      encodeJwt({
        "https://api.openai.com/profile": { email: "p@example.com" },
        [AUTH]: { user_id: "legacy-user", chatgpt_plan_type: "Pro" },
      }),
    );
    expect(info.email).toBe("p@example.com");
    expect(info.chatgptUserId).toBe("legacy-user");
    expect(info.chatgptPlanType).toEqual({ unknown: "Pro" });
    expect(info.chatgptAccountIsFedramp).toBe(false);
  });

  it("treats a token without the auth object as having no claims", () => {
    const info = parseIdToken(encodeJwt({ sub: "x" }));
    expect(info.chatgptAccountId).toBeUndefined();
    expect(info.chatgptPlanType).toBeUndefined();
  });

  const badClaims: Array<[string, Record<string, unknown>]> = [
    ["fedramp as a string", { [AUTH]: { chatgpt_account_is_fedramp: "true" } }],
    ["plan as a number", { [AUTH]: { chatgpt_plan_type: 3 } }],
    ["email as an object", { email: {} }],
    ["auth claim as an array", { [AUTH]: [] }],
  ];
  it.each(badClaims)("fails on %s", async (_name, payload) => {
    await expectLoginError(() => parseIdToken(encodeJwt(payload)), "invalid_id_token");
  });

  it("fails on a malformed token without echoing it", async () => {
    const raw = registerSecret("not-a-jwt-SECRET-idtoken");
    const err = await expectLoginError(() => parseIdToken(raw), "invalid_id_token");
    expect(err.message).not.toContain(raw);
  });
});

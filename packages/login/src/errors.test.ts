import { describe, expect, it } from "vitest";
import { isLoginError, LoginError } from "./errors.js";

describe("LoginError", () => {
  it("has a name, a literal code, an optional status and an ES2022 cause", () => {
    const cause = new Error("root");
    const err = new LoginError("refresh_failed", "Failed to refresh token", { cause, status: 502 });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("LoginError");
    expect(err.code).toBe("refresh_failed");
    expect(err.status).toBe(502);
    expect(err.cause).toBe(cause);
    expect(err.permanent).toBe(false);
    expect("cause" in new LoginError("invalid_argument", "x")).toBe(false);
  });

  it.each([
    "refresh_token_expired",
    "refresh_token_reused",
    "refresh_token_revoked",
    "refresh_token_rejected",
    "account_mismatch",
    "recovery_exhausted",
  ] as const)("%s is permanent", (code) => {
    expect(new LoginError(code, "m").permanent).toBe(true);
  });

  it.each(["login_timeout", "agent_identity_failed", "refresh_failed"] as const)(
    "%s is not permanent",
    (code) => {
      expect(new LoginError(code, "m").permanent).toBe(false);
    },
  );

  it("isLoginError narrows by class and code", () => {
    const err = new LoginError("keyring_timeout", "m");
    expect(isLoginError(err)).toBe(true);
    expect(isLoginError(err, "keyring_timeout")).toBe(true);
    expect(isLoginError(err, "keyring_unavailable")).toBe(false);
    expect(isLoginError(new Error("m"))).toBe(false);
    expect(isLoginError(undefined)).toBe(false);
  });
});

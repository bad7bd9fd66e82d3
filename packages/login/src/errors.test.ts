import { describe, expect, it, vi } from "vitest";
import { isLoginError, LoginError, toLoginError } from "./errors.js";

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

  it("isLoginError recognises a LoginError of another installed copy (brand, not instanceof)", async () => {
    // a second evaluation of this module stands for a second installed copy of the package
    vi.resetModules();
    const copy = await import("./errors.js");
    expect(copy.LoginError).not.toBe(LoginError);
    const foreign = new copy.LoginError("refresh_token_expired", "m");
    expect(foreign instanceof LoginError).toBe(false);
    expect(isLoginError(foreign)).toBe(true);
    expect(isLoginError(foreign, "refresh_token_expired")).toBe(true);
    expect(isLoginError(foreign, "refresh_failed")).toBe(false);
    expect(copy.isLoginError(new LoginError("keyring_timeout", "m"), "keyring_timeout")).toBe(true);
    expect(toLoginError(foreign)).toBe(foreign);
  });

  it("isLoginError rejects look-alikes without the brand", () => {
    const lookAlike = Object.assign(new Error("m"), { name: "LoginError", code: "refresh_failed" });
    expect(isLoginError(lookAlike)).toBe(false);
    expect(isLoginError({ code: "refresh_failed" })).toBe(false);
    expect(isLoginError("LoginError")).toBe(false);
    expect(isLoginError(null)).toBe(false);
  });
});

describe("toLoginError", () => {
  it("returns a LoginError as is", () => {
    const err = new LoginError("keyring_timeout", "m");
    expect(toLoginError(err, "refresh_failed", "other")).toBe(err);
  });

  it("wraps anything else with the given code and message, keeping it as cause", () => {
    const cause = new Error("disk says: token=sk-secret-123");
    const err = toLoginError(cause, "auth_file_unreadable", "failed to load credentials");
    expect(err).toBeInstanceOf(LoginError);
    expect(err.code).toBe("auth_file_unreadable");
    expect(err.message).toBe("failed to load credentials");
    expect(err.cause).toBe(cause);
    expect(err.message).not.toContain("sk-secret");
  });

  it.each([["a string"], [42], [undefined], [{ code: "refresh_failed" }]])(
    "wraps %j with the defaults",
    (thrown) => {
      const err = toLoginError(thrown);
      expect(err.code).toBe("invalid_argument");
      expect(err.message).toBe("unexpected error");
      expect(err.cause).toBe(thrown);
    },
  );
});

import { describe, expect, it } from "vitest";
import { LoginError } from "../errors.js";
import { parseIdToken } from "../id-token.js";
import { encodeJwt } from "../testing/index.js";
import { ensureWorkspaceAllowed } from "./workspace-restriction.js";

const token = (account?: string) =>
  parseIdToken(
    encodeJwt(account ? { "https://api.openai.com/auth": { chatgpt_account_id: account } } : {}),
  );

describe("ensureWorkspaceAllowed", () => {
  it("allows everything when no workspace is forced", () => {
    expect(() => ensureWorkspaceAllowed(undefined, token())).not.toThrow();
    expect(() => ensureWorkspaceAllowed(["", ""], token())).not.toThrow();
  });
  it("allows a listed workspace", () => {
    expect(() => ensureWorkspaceAllowed(["a", "b"], token("b"))).not.toThrow();
  });
  it("rejects a token without the claim, with upstream's (sic) message", () => {
    expect(() => ensureWorkspaceAllowed(["a"], token())).toThrow(
      new LoginError(
        "login_restricted",
        "Login is restricted to a specific workspace, but the token did not include an chatgpt_account_id claim.",
      ),
    );
  });
  it("rejects another workspace", () => {
    let err: unknown;
    try {
      ensureWorkspaceAllowed(["a", "b"], token("c"));
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      code: "login_restricted",
      message: "Login is restricted to workspace id(s) a, b.",
    });
  });
});

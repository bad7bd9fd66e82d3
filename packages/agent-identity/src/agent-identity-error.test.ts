import { expect, it } from "vitest";
import { AgentIdentityError } from "./agent-identity-error.js";

it("carries name, code, message and cause", () => {
  const cause = new Error("inner");
  const error = new AgentIdentityError(
    "task_id_decryption_failed",
    "failed to decrypt encrypted task id",
    {
      cause,
    },
  );
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe("AgentIdentityError");
  expect(error.code).toBe("task_id_decryption_failed");
  expect(error.message).toBe("failed to decrypt encrypted task id");
  expect(error.cause).toBe(cause);
  expect(String(error)).toBe("AgentIdentityError: failed to decrypt encrypted task id");
  expect("cause" in new AgentIdentityError("invalid_argument", "x")).toBe(false);
});

it("is recognised by its brand, also when thrown by another installed copy of the package", () => {
  expect(AgentIdentityError.is(new AgentIdentityError("invalid_argument", "x"))).toBe(true);
  const foreign = Object.assign(new Error("x"), {
    [Symbol.for("codex.agent-identity.error")]: true,
    code: "invalid_argument",
  });
  expect(AgentIdentityError.is(foreign)).toBe(true);
  expect(AgentIdentityError.is(Object.assign(new Error("x"), { code: "invalid_argument" }))).toBe(
    false,
  );
  expect(AgentIdentityError.is({ code: "invalid_argument" })).toBe(false);
  expect(AgentIdentityError.is(undefined)).toBe(false);
});

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

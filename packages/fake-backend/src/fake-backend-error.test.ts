import { describe, expect, it } from "vitest";
import { FakeBackendError } from "./fake-backend-error.js";

describe("FakeBackendError", () => {
  it("carries name, code and cause", () => {
    const cause = new Error("root");
    const error = new FakeBackendError("listen_failed", "could not listen", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("FakeBackendError");
    expect(error.code).toBe("listen_failed");
    expect(error.cause).toBe(cause);
    expect(new FakeBackendError("invalid_script", "x").cause).toBeUndefined();
  });
});

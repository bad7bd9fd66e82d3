import { silentLogger } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { RolloutError } from "./index.js";

describe("RolloutError", () => {
  it("carries name, code and cause", () => {
    const cause = new Error("inner");
    const e = new RolloutError("io_error", "could not write", { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("RolloutError");
    expect(e.code).toBe("io_error");
    expect(e.cause).toBe(cause);
    expect(new RolloutError("empty_file", "x").cause).toBeUndefined();
  });

  it("the default logger is silent", () => {
    expect(silentLogger.warn("x", { a: 1 })).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { ThreadEngineError } from "./thread-engine-error.js";

describe("ThreadEngineError", () => {
  it("carries a code and is recognised across copies", () => {
    const error = new ThreadEngineError("thread_not_found", "thread not found: x");
    expect(error.name).toBe("ThreadEngineError");
    expect(ThreadEngineError.is(error)).toBe(true);
    const foreign = Object.assign(new Error("m"), { name: "ThreadEngineError", code: "closed" });
    expect(ThreadEngineError.is(foreign)).toBe(true);
    expect(ThreadEngineError.is(new Error("m"))).toBe(false);
  });
});

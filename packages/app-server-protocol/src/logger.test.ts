import { describe, expect, it } from "vitest";
import { silentLogger } from "./logger.js";

describe("silentLogger", () => {
  it("accepts warnings and says nothing", () => {
    expect(silentLogger.warn("dropped", { reason: "invalid_json" })).toBeUndefined();
  });
});

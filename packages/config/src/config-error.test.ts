import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";

describe("ConfigError", () => {
  it("carries code, file, line and key", () => {
    const err = new ConfigError("invalid_value", "bad", {
      file: "/x/config.toml",
      line: 3,
      key: "model",
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("ConfigError");
    expect([err.code, err.file, err.line, err.key]).toEqual([
      "invalid_value",
      "/x/config.toml",
      3,
      "model",
    ]);
  });

  it("is() recognises only ConfigErrors", () => {
    expect(ConfigError.is(new ConfigError("unreadable", "x"))).toBe(true);
    for (const other of [new Error("x"), { code: "unreadable" }, null, "ConfigError"]) {
      expect(ConfigError.is(other)).toBe(false);
    }
  });

  it("passes the cause through", () => {
    const cause = new Error("io");
    expect(new ConfigError("unreadable", "x", { cause }).cause).toBe(cause);
  });
});

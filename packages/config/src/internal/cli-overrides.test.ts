import { describe, expect, it } from "vitest";
import { ConfigError } from "../config-error.js";
import { applyCliOverride, parseCliOverride } from "./cli-overrides.js";

describe("parseCliOverride", () => {
  it.each([
    ["model=gpt-5", ["model"], "gpt-5"],
    ['model="o3"', ["model"], "o3"],
    ["model = 'o3'", ["model"], "o3"],
    ["features.use_agent_identity=true", ["features", "use_agent_identity"], true],
    ["attestation_timeout_ms=250", ["attestation_timeout_ms"], 250],
    [
      'agent_identity_allowed_hosts=["127.0.0.1","localhost"]',
      ["agent_identity_allowed_hosts"],
      ["127.0.0.1", "localhost"],
    ],
    [
      "model_providers.demo.base_url=http://127.0.0.1:1/v1",
      ["model_providers", "demo", "base_url"],
      "http://127.0.0.1:1/v1",
    ],
    ["a.b={ c = 1 }", ["a", "b"], { c: 1 }],
    ["x=", ["x"], ""],
    ["x=a=b", ["x"], "a=b"],
    ['x="unterminated', ["x"], "unterminated"],
  ])("%s", (raw, path, value) => {
    const parsed = parseCliOverride(raw, 0);
    expect(parsed.path).toEqual(path);
    expect(parsed.value).toEqual(value);
  });

  it.each([
    ["no-equals", "missing '='"],
    ["=value", "empty key"],
    ["  =value", "empty key"],
    ["a..b=1", "empty segment"],
    [".a=1", "empty segment"],
  ])("rejects %j", (raw, text) => {
    let caught: unknown;
    try {
      parseCliOverride(raw, 2);
    } catch (e) {
      caught = e;
    }
    expect(ConfigError.is(caught)).toBe(true);
    const err = caught as ConfigError;
    expect(err.code).toBe("invalid_override");
    expect(err.file).toBe("-c");
    expect(err.message).toContain("#3");
    expect(err.message).toContain(text);
  });

  it("never echoes the raw text of a malformed override", () => {
    expect(() => parseCliOverride("experimental_bearer_token:sk-live-secret", 0)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("sk-live-secret") }),
    );
  });
});

describe("applyCliOverride", () => {
  it("creates tables and replaces non-tables on the way", () => {
    const root: Record<string, unknown> = { a: 1, keep: { x: 1 } };
    applyCliOverride(root, ["a", "b"], 2);
    applyCliOverride(root, ["keep", "y"], 2);
    applyCliOverride(root, ["new", "deep", "z"], "v");
    expect(root).toEqual({ a: { b: 2 }, keep: { x: 1, y: 2 }, new: { deep: { z: "v" } } });
  });
});

import { inspect } from "node:util";
import { expect, it } from "vitest";
import { REDACTED_TEXT, Secret } from "./secret.js";

it("never prints its value", () => {
  const secret = new Secret("sk-live-123");
  expect(`${secret}`).toBe(REDACTED_TEXT);
  expect(JSON.stringify({ secret })).toBe(`{"secret":"${REDACTED_TEXT}"}`);
  expect(inspect({ secret })).not.toContain("sk-live-123");
  expect(Object.keys(secret)).toEqual([]);
  expect(secret.reveal()).toBe("sk-live-123");
});

it("refuses a non-string value", () => {
  expect(() => new Secret(42 as unknown as string)).toThrow(TypeError);
});

it("compares without revealing", () => {
  expect(new Secret("a").equals(new Secret("a"))).toBe(true);
  expect(new Secret("a").equals(new Secret("b"))).toBe(false);
  expect(new Secret("").isEmpty).toBe(true);
});

it("recognises a Secret from another installed copy by its brand, not its class", () => {
  // What a second copy of the package produces: same registered brand, another class.
  const brand = Symbol.for("codex.wire.secret");
  const foreign = { [brand]: true, reveal: () => "x" };
  expect(Secret.is(new Secret("x"))).toBe(true);
  expect(Secret.is(foreign)).toBe(true);
  expect(new Secret("x").equals(foreign as unknown as Secret)).toBe(true);
  expect(Secret.is({ reveal: () => "x" })).toBe(false);
  expect(Secret.is("x")).toBe(false);
  expect(Secret.is(null)).toBe(false);
});

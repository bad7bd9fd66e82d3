import { expect, it } from "vitest";
import {
  requireBytes,
  requireNonEmptyWireString,
  requireObject,
  requireString,
  requireWireString,
} from "./validate.js";

it("checks type, length, emptiness and well-formed Unicode", () => {
  expect(requireString("abc", "x", 3)).toBe("abc");
  expect(() => requireString("abcd", "x", 3)).toThrow("x is longer than 3 characters");
  expect(() => requireString(1, "x", 3)).toThrow("x must be a string");
  expect(requireWireString("🚀", "x")).toBe("🚀");
  expect(() => requireWireString("\ud83d", "x")).toThrow("lone surrogate");
  expect(() => requireWireString("a\udc00", "x")).toThrow("lone surrogate");
  expect(() => requireNonEmptyWireString("", "x")).toThrow("x must not be empty");
  expect(requireObject({ a: 1 }, "o")).toEqual({ a: 1 });
  expect(() => requireObject([], "o")).toThrow("o must be an object");
  expect(() => requireBytes(new Uint8Array(2), "b", 3)).toThrow("b must be exactly 3 bytes");
  expect(() => requireBytes([1, 2, 3], "b", 3)).toThrow("b must be a Uint8Array");
});

import { expect, it } from "vitest";
import { AgentIdentityError } from "../agent-identity-error.js";
import { drawRandomBytes, optionalRandomSource, systemRandomBytes } from "./random.js";

it("draws a copy of exactly the requested length", () => {
  const source = new Uint8Array(4).fill(1);
  const drawn = drawRandomBytes(() => source, 4, "m");
  source.fill(2);
  expect(drawn).toEqual(new Uint8Array(4).fill(1));
  expect(systemRandomBytes(16)).toHaveLength(16);
  expect(drawRandomBytes(undefined, 8, "m")).toHaveLength(8);
});

it("turns a failing source into random_generation_failed with the given message", () => {
  const cause = new Error("no entropy");
  try {
    drawRandomBytes(
      () => {
        throw cause;
      },
      4,
      "failed to generate agent identity request id",
    );
    throw new Error("unreachable");
  } catch (error) {
    expect(error).toBeInstanceOf(AgentIdentityError);
    expect((error as AgentIdentityError).code).toBe("random_generation_failed");
    expect((error as AgentIdentityError).message).toBe(
      "failed to generate agent identity request id",
    );
    expect((error as AgentIdentityError).cause).toBe(cause);
  }
  expect(() => optionalRandomSource(3)).toThrow("options.randomBytes must be a function");
  expect(optionalRandomSource(undefined)).toBeUndefined();
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { registerSecret } from "../../test/support/capture.js";
import { LoginError } from "../errors.js";
import { loginErrorFromZod, parseWith } from "./zod-error.js";

const SECRET = registerSecret("zod-SECRET-value-1");

const schema = z.looseObject({
  mode: z.enum(["a", "b"]),
  token: z.string().min(1),
  nested: z.looseObject({ count: z.number() }).optional(),
  custom: z
    .string()
    .refine((v) => v.startsWith("ok"), { message: "does not start with ok" })
    .optional(),
});

function errorFor(value: unknown, options?: Parameters<typeof parseWith>[4]): LoginError {
  try {
    parseWith(schema, value, "auth_file_corrupt", "thing is invalid", options);
  } catch (err) {
    expect(err).toBeInstanceOf(LoginError);
    return err as LoginError;
  }
  throw new Error("expected a LoginError");
}

describe("loginErrorFromZod / parseWith", () => {
  it.each([
    ["not an object", SECRET, "thing is invalid: the top level must be an object"],
    ["an array", [SECRET], "thing is invalid: the top level must be an object"],
    [
      "a value outside the enum",
      { mode: SECRET, token: "t" },
      "thing is invalid: mode is not one of a, b",
    ],
    ["a missing field", { mode: "a" }, "thing is invalid: token is missing (must be a string)"],
    ["a wrong type", { mode: "a", token: 5 }, "thing is invalid: token must be a string"],
    ["an empty string", { mode: "a", token: "" }, "thing is invalid: token is empty"],
    [
      "a nested wrong type",
      { mode: "a", token: "t", nested: { count: SECRET } },
      "thing is invalid: nested.count must be a number",
    ],
    [
      "a failed custom check",
      { mode: "a", token: "t", custom: SECRET },
      "thing is invalid: custom does not start with ok",
    ],
    [
      "several issues",
      { mode: SECRET, token: 1 },
      "thing is invalid: mode is not one of a, b (and 1 more)",
    ],
  ])("%s: names the field and what was expected, never the value", (_n, value, message) => {
    const err = errorFor(value);
    expect(err.code).toBe("auth_file_corrupt");
    expect(err.message).toBe(message);
    expect(err.cause).toBeUndefined();
    expect(JSON.stringify(err)).not.toContain(SECRET);
  });

  it("keeps the reply status, and with detail: false the subject is the whole message", () => {
    const err = errorFor({ token: SECRET }, { status: 502, detail: false });
    expect(err.message).toBe("thing is invalid");
    expect(err.status).toBe(502);
    expect(errorFor({ token: SECRET }).status).toBeUndefined();
  });

  it("returns the parsed value, unknown keys kept", () => {
    expect(
      parseWith(schema, { mode: "b", token: "t", extra: 1 }, "auth_file_corrupt", "x"),
    ).toEqual({ mode: "b", token: "t", extra: 1 });
  });

  it("maps an error without issues", () => {
    const err = loginErrorFromZod(new z.ZodError([]), "refresh_failed", "reply is invalid");
    expect(err).toMatchObject({ code: "refresh_failed", message: "reply is invalid: invalid" });
  });
});

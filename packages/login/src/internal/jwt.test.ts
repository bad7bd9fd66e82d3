import { describe, expect, it } from "vitest";
import { expectLoginError, registerSecret } from "../../test/support/capture.js";
import { encodeJwt } from "../testing/index.js";
import { decodeJwtPayload, parseJwtExpiration } from "./jwt.js";

describe("decodeJwtPayload", () => {
  it("decodes the payload of a three-part token and ignores extra parts", () => {
    const token = encodeJwt({ sub: "u1", n: 1 });
    expect(decodeJwtPayload(token)).toEqual({ sub: "u1", n: 1 });
    expect(decodeJwtPayload(`${token}.extra`)).toEqual({ sub: "u1", n: 1 });
  });

  const bad: Array<[string, unknown]> = [
    ["empty", ""],
    ["one part", "abc"],
    ["two parts", "abc.def"],
    ["empty signature", "abc.eyJ9."],
    ["empty payload", "abc..sig"],
    ["padding", `x.${Buffer.from('{"a":1}').toString("base64")}=.s`],
    ["plus and slash", "x.ab+/.s"],
    ["not json", `x.${Buffer.from("not json SECRET-jwt-payload").toString("base64url")}.s`],
    ["json array", `x.${Buffer.from("[1]").toString("base64url")}.s`],
    ["truncated base64", "x.a.s"],
    ["not a string", 42],
  ];
  it.each(bad)("rejects %s with invalid_jwt and never echoes the token", async (_name, token) => {
    if (typeof token === "string") registerSecret(token);
    const err = await expectLoginError(() => decodeJwtPayload(token as string), "invalid_jwt");
    if (typeof token === "string" && token.length > 3) expect(err.message).not.toContain(token);
  });
});

describe("parseJwtExpiration", () => {
  it("reads an integer exp", () => {
    expect(parseJwtExpiration(encodeJwt({ exp: 1767225600 }))).toBe(1767225600);
  });
  it("returns undefined without exp", () => {
    expect(parseJwtExpiration(encodeJwt({}))).toBeUndefined();
  });
  it("rejects a non-integer exp and a non-JWT", async () => {
    await expectLoginError(() => parseJwtExpiration(encodeJwt({ exp: "soon" })), "invalid_jwt");
    await expectLoginError(() => parseJwtExpiration(encodeJwt({ exp: 1.5 })), "invalid_jwt");
    await expectLoginError(() => parseJwtExpiration("opaque-SECRET-access"), "invalid_jwt");
  });
});

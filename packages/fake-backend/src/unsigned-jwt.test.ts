import { describe, expect, it } from "vitest";
import { decodeJwtClaims, encodeUnsignedJwt } from "./unsigned-jwt.js";

describe("unsigned JWT", () => {
  it("round-trips claims through three non-empty base64url segments", () => {
    const jwt = encodeUnsignedJwt({ email: "a@b.c", n: 1, nested: { x: ["é"] } });
    const parts = jwt.split(".");
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(parts[0]!, "base64url").toString())).toEqual({
      alg: "none",
      typ: "JWT",
    });
    expect(decodeJwtClaims(jwt)).toEqual({ email: "a@b.c", n: 1, nested: { x: ["é"] } });
  });

  it.each([
    ["empty", ""],
    ["two parts", "a.b"],
    ["four parts", "a.b.c.d"],
    ["empty signature", "a.eyJ9."],
    ["padding", `a.${Buffer.from("{}").toString("base64")}=.c`],
    ["not JSON", `a.${Buffer.from("nope").toString("base64url")}.c`],
    ["array payload", `a.${Buffer.from("[1]").toString("base64url")}.c`],
    ["null payload", `a.${Buffer.from("null").toString("base64url")}.c`],
  ])("rejects %s", (_name, token) => {
    expect(decodeJwtClaims(token)).toBeUndefined();
  });
});

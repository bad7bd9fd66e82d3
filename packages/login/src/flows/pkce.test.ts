import { describe, expect, it } from "vitest";
import { LoginError } from "../errors.js";
import { generatePkce, generateState, pkceChallengeFor } from "./pkce.js";

describe("pkce", () => {
  it("builds an 86-char verifier and the RFC 7636 S256 challenge", () => {
    const codes = generatePkce();
    const verifier = codes.codeVerifier.reveal();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(codes.codeChallenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codes.codeChallenge).toBe(pkceChallengeFor(verifier));
    expect(String(codes.codeVerifier)).not.toContain(verifier);
  });

  it("matches the RFC 7636 appendix B example", () => {
    expect(pkceChallengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("uses the injected randomness", () => {
    const zeros = (n: number) => new Uint8Array(n);
    expect(generateState(zeros)).toBe("A".repeat(43));
    expect(generatePkce(zeros).codeVerifier.reveal()).toBe(Buffer.alloc(64).toString("base64url"));
    expect(generateState()).not.toBe(generateState());
  });

  it.each([
    ["too few bytes", (n: number) => new Uint8Array(n - 1)],
    ["not bytes", () => "x" as unknown as Uint8Array],
    ["not a function", 5 as unknown as (n: number) => Uint8Array],
  ])("rejects randomness giving %s", (_n, source) => {
    expect(() => generatePkce(source)).toThrow(LoginError);
    expect(() => generateState(source)).toThrow(LoginError);
  });
});

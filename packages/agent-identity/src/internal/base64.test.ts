import { randomBytes } from "node:crypto";
import { base64, base64urlnopad } from "@scure/base";
import { describe, expect, it } from "vitest";
import { AgentIdentityError } from "../agent-identity-error.js";
import { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from "./base64.js";

const std = (input: string) => decodeBase64(input, "invalid_public_key", "bad base64");
const url = (input: string) =>
  decodeBase64Url(input, "invalid_assertion_envelope", "bad base64url");

function rejection(fn: () => unknown): AgentIdentityError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AgentIdentityError);
    return error as AgentIdentityError;
  }
  throw new Error("expected a rejection");
}

describe("encoders", () => {
  it("match Buffer (and scure's fallback) for every length 0..100, and decode back", () => {
    for (let length = 0; length <= 100; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      const standard = Buffer.from(bytes).toString("base64");
      const urlSafe = Buffer.from(bytes).toString("base64url");
      expect(encodeBase64(bytes)).toBe(standard);
      expect(encodeBase64Url(bytes)).toBe(urlSafe);
      // scure's encoders, used where Buffer is absent, give the same text.
      expect(base64.encode(bytes)).toBe(standard);
      expect(base64urlnopad.encode(bytes)).toBe(urlSafe);
      expect(std(standard)).toEqual(bytes);
      expect(url(urlSafe)).toEqual(bytes);
      expect(std(standard).length).toBe(length);
    }
  });

  it("encode subarrays by their own bounds", () => {
    const bytes = Uint8Array.of(1, 2, 3, 4, 5).subarray(1, 4);
    expect(encodeBase64(bytes)).toBe("AgME");
    expect(encodeBase64Url(bytes)).toBe("AgME");
  });
});

describe("decodeBase64 (standard, padded, canonical)", () => {
  it.each([
    ["missing padding", "AA"],
    ["extra padding", "AAAA===="],
    ["padding inside", "AA==AAAA"],
    ["three pad chars", "A==="],
    ["only padding", "===="],
    ["non-zero trailing bits (1 byte)", "AB=="],
    ["non-zero trailing bits (2 bytes)", "AAB="],
    ["url-safe alphabet", "-_-_"],
    ["whitespace", "AA AA"],
    ["newline", "AAAA\n"],
    ["non-ASCII", "AAA\u00e9"],
    ["length 1 mod 4", "AAAAA"],
  ])("rejects %s with the caller's code, keeping scure's error as the cause", (_name, input) => {
    const error = rejection(() => std(input));
    expect(error.code).toBe("invalid_public_key");
    expect(error.message).toBe("bad base64");
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("accepts the empty string as zero bytes", () => {
    expect(std("")).toEqual(new Uint8Array(0));
  });

  it("keeps no cause for a private key (scure may quote a character of it)", () => {
    const error = rejection(() => decodeBase64("AA!A", "invalid_private_key_base64", "bad key"));
    expect(error.code).toBe("invalid_private_key_base64");
    expect(error.cause).toBeUndefined();
  });
});

describe("decodeBase64Url (url-safe, unpadded, canonical)", () => {
  it.each([
    ["padding", "AA=="],
    ["standard alphabet", "+/+/"],
    ["non-zero trailing bits", "AB"],
    ["length 1 mod 4", "A"],
    ["whitespace", "AA AA"],
  ])("rejects %s", (_name, input) => {
    expect(rejection(() => url(input)).code).toBe("invalid_assertion_envelope");
  });

  it("decodes every residue class", () => {
    expect(url("AA")).toEqual(Uint8Array.of(0));
    expect(url("AAA")).toEqual(Uint8Array.of(0, 0));
    expect(url("-_8")).toEqual(Uint8Array.of(0xfb, 0xff));
  });
});

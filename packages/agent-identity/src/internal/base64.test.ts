import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  base64DecodedLength,
  decodeBase64,
  decodeBase64Url,
  encodeBase64,
  encodeBase64Js,
  encodeBase64Url,
  encodeBase64UrlJs,
  isCanonicalBase64,
} from "./base64.js";

describe("encoders", () => {
  it("match Buffer for every length 0..100, in both the Buffer and the pure JS path", () => {
    for (let length = 0; length <= 100; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      const std = Buffer.from(bytes).toString("base64");
      const url = Buffer.from(bytes).toString("base64url");
      expect(encodeBase64(bytes)).toBe(std);
      expect(encodeBase64Js(bytes)).toBe(std);
      expect(encodeBase64Url(bytes)).toBe(url);
      expect(encodeBase64UrlJs(bytes)).toBe(url);
      expect(decodeBase64(std)).toEqual(bytes);
      expect(decodeBase64Url(url)).toEqual(bytes);
      expect(base64DecodedLength(std)).toBe(length);
    }
  });

  it("encode subarrays by their own bounds", () => {
    const bytes = Uint8Array.of(1, 2, 3, 4, 5).subarray(1, 4);
    expect(encodeBase64(bytes)).toBe("AgME");
    expect(encodeBase64Js(bytes)).toBe("AgME");
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
  ])("rejects %s", (_name, input) => {
    expect(decodeBase64(input)).toBeUndefined();
    expect(isCanonicalBase64(input)).toBe(false);
  });

  it("accepts the empty string as zero bytes", () => {
    expect(decodeBase64("")).toEqual(new Uint8Array(0));
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
    expect(decodeBase64Url(input)).toBeUndefined();
  });

  it("decodes every residue class", () => {
    expect(decodeBase64Url("AA")).toEqual(Uint8Array.of(0));
    expect(decodeBase64Url("AAA")).toEqual(Uint8Array.of(0, 0));
    expect(decodeBase64Url("-_8")).toEqual(Uint8Array.of(0xfb, 0xff));
  });
});

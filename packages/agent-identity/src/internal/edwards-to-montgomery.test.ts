import { expect, it } from "vitest";
import { x25519PublicFromEd25519Public } from "./edwards-to-montgomery.js";

it("converts a valid key and refuses non-points and small-order points", () => {
  const seed07 = Buffer.from(
    "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c",
    "hex",
  );
  expect(Buffer.from(x25519PublicFromEd25519Public(new Uint8Array(seed07))!).toString("hex")).toBe(
    "761d88ec830413919dfe9d4d1d56f17e653c8c994082df5b137b90a0ae6edf74",
  );
  expect(x25519PublicFromEd25519Public(Uint8Array.of(1, ...new Uint8Array(31)))).toBeUndefined();
  expect(x25519PublicFromEd25519Public(new Uint8Array(32))).toBeUndefined();
  expect(x25519PublicFromEd25519Public(Uint8Array.of(2, ...new Uint8Array(31)))).toBeUndefined();
  expect(x25519PublicFromEd25519Public(new Uint8Array(32).fill(0xff))).toBeUndefined();
});

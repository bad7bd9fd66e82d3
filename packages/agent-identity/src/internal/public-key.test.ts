import { expect, it } from "vitest";
import { resolveEd25519PublicKey, verifierFor } from "./public-key.js";

const SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs";

it("resolves the ssh line and the raw key to the same bytes and reuses verifiers", () => {
  const fromSsh = resolveEd25519PublicKey(SSH, "publicKey");
  const fromRaw = resolveEd25519PublicKey(fromSsh.raw, "publicKey");
  expect(fromRaw.raw).toEqual(fromSsh.raw);
  expect(fromRaw.id).toMatch(/^raw:/);
  expect(verifierFor(SSH, "publicKey")).toBe(verifierFor(SSH, "publicKey"));
  expect(verifierFor(fromSsh.raw, "publicKey")).toBe(verifierFor(fromSsh.raw, "publicKey"));
});

it("refuses keys that are not points or are of small order", () => {
  for (const raw of [
    Uint8Array.of(1, ...new Uint8Array(31)), // identity: would verify any message
    new Uint8Array(32), // order 4
    Uint8Array.of(2, ...new Uint8Array(31)), // not on the curve
    new Uint8Array(32).fill(0xff), // non-canonical y
  ]) {
    expect(() => verifierFor(raw, "publicKey")).toThrow("not a valid Ed25519 point of full order");
  }
});

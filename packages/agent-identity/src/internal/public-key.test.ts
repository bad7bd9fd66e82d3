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

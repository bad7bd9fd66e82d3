import { expect, it } from "vitest";
import { currentBackend } from "./crypto-backend.js";
import { openSealedBox, SEAL_OVERHEAD, sealBox } from "./sealed-box.js";

it("seals and opens, and refuses short or altered boxes", () => {
  const backend = currentBackend();
  const recipient = backend.x25519Key(new Uint8Array(32).fill(1));
  const ephemeral = backend.x25519Key(new Uint8Array(32).fill(2));
  const sealed = sealBox(ephemeral, recipient.publicKey, Uint8Array.of(1, 2, 3))!;
  expect(sealed).toHaveLength(SEAL_OVERHEAD + 3);
  expect(openSealedBox(recipient, sealed)).toEqual(Uint8Array.of(1, 2, 3));
  expect(openSealedBox(recipient, sealed.subarray(0, SEAL_OVERHEAD - 1))).toBeUndefined();
  expect(openSealedBox(recipient, sealed.subarray(0, sealed.length - 1))).toBeUndefined();
  expect(sealBox(ephemeral, new Uint8Array(32), Uint8Array.of(1))).toBeUndefined();
  const lowOrder = new Uint8Array(sealed);
  lowOrder.fill(0, 0, 32);
  expect(openSealedBox(recipient, lowOrder)).toBeUndefined();
});

import { randomBytes } from "node:crypto";

/**
 * A time-ordered UUID v7 (upstream's thread, turn and item ids): 48 bits of Unix ms, version 7,
 * 74 random bits with the RFC 9562 variant.
 *
 * @example uuidV7(); // "01a246f9-f403-7a63-9394-8df1d54c2a9a"
 */
export function uuidV7(nowMs: number = Date.now(), random: Uint8Array = randomBytes(10)): string {
  const bytes = new Uint8Array(16);
  let ms = Math.max(0, Math.floor(nowMs));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  for (let i = 0; i < 10; i++) bytes[6 + i] = random[i] ?? 0;
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

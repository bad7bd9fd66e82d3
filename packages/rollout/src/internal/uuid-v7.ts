import { randomBytes } from "node:crypto";

/** A time-ordered UUID v7 (48-bit Unix ms, version, 74 random bits). */
export function uuidV7(nowMs: number, random: (n: number) => Uint8Array = randomBytes): string {
  const b = new Uint8Array(16);
  b.set(random(10), 6);
  let t = Math.max(0, Math.floor(nowMs));
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | ((b[6] as number) & 0x0f);
  b[8] = 0x80 | ((b[8] as number) & 0x3f);
  const hex = Buffer.from(b).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

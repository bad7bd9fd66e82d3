/** Keeps the first and last bytes of `s` within `maxBytes` (UTF-8 safe), marking the cut. */
export function truncateMiddle(s: string, maxBytes: number): string {
  const buf = Buffer.from(s, "utf8");
  if (buf.length <= maxBytes) return s;
  const marker = `…${buf.length - maxBytes} bytes truncated…`;
  const keep = Math.max(0, maxBytes - Buffer.byteLength(marker));
  const head = buf
    .subarray(0, Math.ceil(keep / 2))
    .toString("utf8")
    .replace(/\uFFFD+$/, "");
  const tail = buf
    .subarray(buf.length - Math.floor(keep / 2))
    .toString("utf8")
    .replace(/^\uFFFD+/, "");
  return `${head}${marker}${tail}`;
}

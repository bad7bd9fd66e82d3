/**
 * RFC 3339 timestamps as upstream (chrono) writes them: UTC with `Z`, fraction of 0, 3, 6 or 9
 * digits. Parsing accepts any RFC 3339 offset and keeps nanosecond precision.
 */

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9})\d*)?([Zz]|[+-]\d{2}:\d{2})$/;

/** A parsed timestamp: whole seconds since the epoch plus nanoseconds. */
export interface Timestamp {
  readonly seconds: number;
  readonly nanos: number;
}

/** Parses an RFC 3339 string; returns undefined when it is not one. */
export function parseTimestamp(text: string): Timestamp | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, off] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  const ms = Date.UTC(Number(y), month - 1, day, hour, minute, Math.min(second, 59));
  const check = new Date(ms);
  if (check.getUTCDate() !== day) return undefined;
  let offsetSeconds = 0;
  if (off && off !== "Z" && off !== "z") {
    const sign = off.startsWith("-") ? -1 : 1;
    const oh = Number(off.slice(1, 3));
    const om = Number(off.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetSeconds = sign * (oh * 3600 + om * 60);
  }
  const nanos = frac ? Number(frac.padEnd(9, "0")) : 0;
  return { seconds: ms / 1000 - offsetSeconds, nanos };
}

/** Formats a timestamp chrono-style (`2026-04-20T08:15:02.123456789Z`). */
export function formatTimestamp(ts: Timestamp): string {
  const base = new Date(ts.seconds * 1000).toISOString().slice(0, 19);
  let frac = "";
  if (ts.nanos !== 0) {
    const nine = String(ts.nanos).padStart(9, "0");
    if (nine.endsWith("000000")) frac = `.${nine.slice(0, 3)}`;
    else if (nine.endsWith("000")) frac = `.${nine.slice(0, 6)}`;
    else frac = `.${nine}`;
  }
  return `${base}${frac}Z`;
}

/** Converts a JS `Date` (millisecond precision) into a {@link Timestamp}. */
export function timestampFromDate(date: Date): Timestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** Milliseconds since the epoch of a {@link Timestamp} (sub-millisecond part dropped). */
export function timestampToMillis(ts: Timestamp): number {
  return ts.seconds * 1000 + Math.floor(ts.nanos / 1_000_000);
}

/**
 * RFC 3339 timestamps as the Rust side (chrono) writes and reads them. One implementation for the
 * whole stack: auth.json's `last_refresh` (nanoseconds), agent-identity assertions (whole
 * seconds), rollout lines (milliseconds).
 */

/** An instant with nanosecond precision: whole seconds since the Unix epoch plus nanoseconds. */
export interface Rfc3339Instant {
  readonly seconds: number;
  /** 0 to 999 999 999. */
  readonly nanos: number;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9})\d*)?([Zz]|[+-]\d{2}:\d{2})$/;
const RFC3339_SECONDS_Z = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** Epoch milliseconds of a real calendar date and time in UTC, or undefined (31 April, hour 24). */
function utcMillis(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.getTime();
}

/**
 * Parses any RFC 3339 date-time (`Z` or a numeric offset, `T`, `t` or space as separator, up to 9
 * fraction digits kept, more truncated, a leap second read as :59). Returns undefined for anything
 * else, including impossible dates.
 *
 * @example parseRfc3339("2026-04-20T08:15:02.123456789Z") // { seconds: 1776672902, nanos: 123456789 }
 */
export function parseRfc3339(text: string): Rfc3339Instant | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, offset] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
    string,
  ];
  const second = Number(s);
  if (second > 60) return undefined;
  const ms = utcMillis(
    Number(y),
    Number(mo),
    Number(d),
    Number(h),
    Number(mi),
    Math.min(second, 59),
  );
  if (ms === undefined) return undefined;
  let offsetSeconds = 0;
  if (offset !== "Z" && offset !== "z") {
    const hours = Number(offset.slice(1, 3));
    const minutes = Number(offset.slice(4, 6));
    if (hours > 23 || minutes > 59) return undefined;
    offsetSeconds = (offset.startsWith("-") ? -1 : 1) * (hours * 3600 + minutes * 60);
  }
  return { seconds: ms / 1000 - offsetSeconds, nanos: frac ? Number(frac.padEnd(9, "0")) : 0 };
}

/**
 * Parses exactly `YYYY-MM-DDTHH:MM:SSZ` (the form AgentAssertion and task registration carry) and
 * returns epoch milliseconds, or undefined.
 */
export function parseRfc3339Seconds(text: string): number | undefined {
  const m = RFC3339_SECONDS_Z.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return utcMillis(year, month, day, hour, minute, second);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function toDate(time: Date | number): Date {
  const date = typeof time === "number" ? new Date(time) : time;
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 0 || year > 9999) {
    throw new RangeError("time must be a valid date between years 0000 and 9999");
  }
  return date;
}

function secondsPart(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`
  );
}

/**
 * `YYYY-MM-DDTHH:MM:SSZ`, like chrono's `to_rfc3339_opts(SecondsFormat::Secs, true)`. Throws a
 * `RangeError` for an invalid date or a year outside 0000-9999.
 */
export function formatRfc3339Seconds(time: Date | number): string {
  return `${secondsPart(toDate(time))}Z`;
}

/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, like chrono's `SecondsFormat::Millis` (and `Date#toISOString`). */
export function formatRfc3339Millis(time: Date | number): string {
  const date = toDate(time);
  return `${secondsPart(date)}.${pad(date.getUTCMilliseconds(), 3)}Z`;
}

/**
 * chrono's default `to_rfc3339` in UTC: no fraction when it is zero, else 3, 6 or 9 digits,
 * whichever is the shortest exact form.
 */
export function formatRfc3339(instant: Rfc3339Instant): string {
  const base = secondsPart(toDate(instant.seconds * 1000));
  if (instant.nanos === 0) return `${base}Z`;
  const nine = String(instant.nanos).padStart(9, "0");
  if (nine.endsWith("000000")) return `${base}.${nine.slice(0, 3)}Z`;
  if (nine.endsWith("000")) return `${base}.${nine.slice(0, 6)}Z`;
  return `${base}.${nine}Z`;
}

/** The instant of epoch milliseconds. */
export function instantFromMillis(ms: number): Rfc3339Instant {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1_000_000) };
}

/** Epoch milliseconds of an instant (the sub-millisecond part is dropped). */
export function instantToMillis(instant: Rfc3339Instant): number {
  return instant.seconds * 1000 + Math.floor(instant.nanos / 1_000_000);
}

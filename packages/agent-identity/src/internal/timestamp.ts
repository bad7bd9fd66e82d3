import { AgentIdentityError } from "../agent-identity-error.js";

/** A fixed instant or a clock to read it from. */
export type NowOption = Date | (() => Date);

const RFC3339_SECONDS_Z = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/** Reads `now` (default: the system clock) and checks it is a usable date. */
export function readNow(now: unknown, name = "options.now"): Date {
  let value: unknown;
  if (now === undefined) value = new Date();
  else if (typeof now === "function") value = (now as () => unknown)();
  else value = now;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new AgentIdentityError("invalid_argument", `${name} must be a valid Date or return one`);
  }
  const year = value.getUTCFullYear();
  if (year < 0 || year > 9999) {
    throw new AgentIdentityError("invalid_argument", `${name} must be between years 0000 and 9999`);
  }
  return value;
}

/** RFC 3339 in whole seconds with `Z`, like chrono's `to_rfc3339_opts(SecondsFormat::Secs, true)`. */
export function formatTimestamp(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}Z`
  );
}

/**
 * Parses exactly `YYYY-MM-DDTHH:MM:SSZ` naming a real calendar instant (no leap second) and
 * returns its epoch milliseconds, or `undefined`.
 */
export function parseTimestamp(text: string): number | undefined {
  const match = RFC3339_SECONDS_Z.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  // Date rolls 31 April over into 1 May; a real date round-trips.
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return undefined;
  }
  return date.getTime();
}

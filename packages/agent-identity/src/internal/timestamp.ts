/**
 * The clock of assertions: `now` options are read and checked here; the RFC 3339 text itself is
 * written and read by `@codex/wire` (`formatRfc3339Seconds`, `parseRfc3339Seconds`).
 */
import { AgentIdentityError } from "../agent-identity-error.js";

/** A fixed instant or a clock to read it from. */
export type NowOption = Date | (() => Date);

/**
 * Reads `now` (default: the system clock) and checks it is a usable date that RFC 3339 can write
 * (years 0000-9999), so formatting it never throws.
 */
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

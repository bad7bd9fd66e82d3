/**
 * Unix ms of a UTC wall-clock time, or `NaN` when the parts name no real time (month 13,
 * February 30, hour 24, …): `Date.UTC` alone would silently roll those over.
 */
export function utcTimeOf(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  const same =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s;
  return same ? t : Number.NaN;
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** True when `s` is a UUID string (any version). */
export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

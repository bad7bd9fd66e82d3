/** Claims of a JWT payload. */
export type JwtClaims = Record<string, unknown>;

const HEADER = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
/**
 * The third segment. Upstream's decoder requires three non-empty parts and never checks the
 * signature, so the fake puts a fixed marker there instead of a real signature.
 */
const SIGNATURE = Buffer.from("fake-backend-unsigned").toString("base64url");

/**
 * Encodes claims as an unsigned JWT (`alg: none`, a fixed non-empty third segment), the way
 * the fake issuer mints id and access tokens.
 *
 * @example
 * ```ts
 * const jwt = encodeUnsignedJwt({ email: "dev@example.com" });
 * ```
 */
export function encodeUnsignedJwt(claims: JwtClaims): string {
  return `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${SIGNATURE}`;
}

/**
 * Decodes the payload of a JWT without checking any signature; undefined when the value is not
 * three non-empty base64url segments with a JSON object in the middle.
 *
 * @example
 * ```ts
 * decodeJwtClaims(idToken)?.["https://api.openai.com/auth"];
 * ```
 */
export function decodeJwtClaims(token: string): JwtClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((part) => part === "")) return undefined;
  const payload = parts[1]!;
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    return value as JwtClaims;
  } catch {
    return undefined;
  }
}

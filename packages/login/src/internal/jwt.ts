import { LoginError } from "../errors.js";

const BASE64URL_NO_PAD = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes the payload (second part) of a JWT into a JSON object, like upstream's decoder: the first
 * three dot-separated parts must exist and be non-empty, the payload is base64url without padding.
 * No signature or claim validation. The token is never echoed in errors.
 *
 * @throws {LoginError} code `invalid_jwt`.
 * @example
 * ```ts
 * const claims = decodeJwtPayload(idToken); // { email: "...", ... }
 * ```
 */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  if (typeof token !== "string") {
    throw new LoginError("invalid_jwt", "invalid ID token format: expected a string");
  }
  const parts = token.split(".");
  const [header, payload, signature] = parts;
  if (!header || !payload || !signature) {
    throw new LoginError("invalid_jwt", "invalid ID token format");
  }
  if (!BASE64URL_NO_PAD.test(payload) || payload.length % 4 === 1) {
    throw new LoginError("invalid_jwt", "invalid ID token format: payload is not base64url");
  }
  const text = Buffer.from(payload, "base64url").toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LoginError("invalid_jwt", "invalid ID token format: payload is not JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new LoginError("invalid_jwt", "invalid ID token format: payload is not a JSON object");
  }
  return value as Record<string, unknown>;
}

/**
 * Reads the integer `exp` claim (seconds since the epoch) of a JWT access token.
 * Returns `undefined` when the claim is missing.
 *
 * @throws {LoginError} code `invalid_jwt` when the token is not a JWT or `exp` is not an integer.
 * @example
 * ```ts
 * const exp = parseJwtExpiration(accessToken); // 1767225600 | undefined
 * ```
 */
export function parseJwtExpiration(token: string): number | undefined {
  const claims = decodeJwtPayload(token);
  const exp = claims.exp;
  if (exp === undefined || exp === null) return undefined;
  if (typeof exp !== "number" || !Number.isInteger(exp)) {
    throw new LoginError("invalid_jwt", "invalid JWT: exp claim is not an integer");
  }
  return exp;
}

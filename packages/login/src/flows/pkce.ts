import { createHash, randomBytes as nodeRandomBytes } from "node:crypto";
import { Secret } from "@codex/wire";
import { LoginError } from "../errors.js";

/** Source of random bytes; injectable so tests are deterministic. */
export type RandomBytes = (size: number) => Uint8Array;

/** Default randomness: `node:crypto` CSPRNG. */
export const defaultRandomBytes: RandomBytes = (size) => new Uint8Array(nodeRandomBytes(size));

function draw(randomBytes: RandomBytes, size: number): Uint8Array {
  const bytes: unknown = typeof randomBytes === "function" ? randomBytes(size) : undefined;
  if (!(bytes instanceof Uint8Array) || bytes.length !== size) {
    throw new LoginError("invalid_argument", `randomBytes must return ${size} bytes`);
  }
  return bytes;
}

/** A PKCE verifier/challenge pair (RFC 7636, `S256`). */
export interface PkceCodes {
  /** The `code_verifier`: 64 random bytes, base64url without padding (86 chars). Secret. */
  readonly codeVerifier: Secret;
  /** The `code_challenge`: base64url-no-pad SHA-256 of the verifier (43 chars). */
  readonly codeChallenge: string;
}

/**
 * Generates PKCE codes like upstream: 64 random bytes → base64url-no-pad verifier, S256 challenge.
 *
 * @example
 * ```ts
 * const { codeVerifier, codeChallenge } = generatePkce();
 * codeChallenge.length; // 43
 * ```
 */
export function generatePkce(randomBytes: RandomBytes = defaultRandomBytes): PkceCodes {
  const verifier = Buffer.from(draw(randomBytes, 64)).toString("base64url");
  return { codeVerifier: new Secret(verifier), codeChallenge: pkceChallengeFor(verifier) };
}

/** The S256 challenge of a verifier: base64url-no-pad SHA-256. */
export function pkceChallengeFor(codeVerifier: string): string {
  return createHash("sha256").update(codeVerifier, "ascii").digest("base64url");
}

/**
 * Generates the OAuth `state`: 32 random bytes, base64url without padding (43 chars).
 *
 * @example
 * ```ts
 * generateState().length; // 43
 * ```
 */
export function generateState(randomBytes: RandomBytes = defaultRandomBytes): string {
  return Buffer.from(draw(randomBytes, 32)).toString("base64url");
}

/** Tokens minted for one sign-in or refresh, as a login stores them. */
export interface TokenSet {
  /** Unsigned JWT with the account's claims (see the README). */
  readonly idToken: string;
  /** Unsigned JWT accepted as Bearer on `/backend-api`. */
  readonly accessToken: string;
  /** Opaque, rotated on every refresh. */
  readonly refreshToken: string;
  /** Lifetime of the access token in seconds. */
  readonly expiresIn: number;
}

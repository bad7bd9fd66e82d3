import { LoginError } from "../errors.js";
import { CLIENT_ID, DEFAULT_ISSUER } from "../token-endpoint.js";

/** Upstream's OAuth issuer. */
export { CLIENT_ID, DEFAULT_ISSUER };

/** Upstream's default `originator` query value and header. */
export const DEFAULT_ORIGINATOR = "codex_cli_rs";

/** Scopes requested by the browser login (upstream, with the connectors scopes added later). */
export const LOGIN_SCOPES =
  "openid profile email offline_access api.connectors.read api.connectors.invoke";

/** Removes trailing slashes from an issuer URL. */
export function trimIssuer(issuer: string): string {
  return issuer.replace(/\/+$/, "");
}

/**
 * The issuer to use: the default when absent, trailing slashes removed; must be http(s).
 *
 * @throws {LoginError} code `invalid_argument`.
 */
export function resolveIssuer(issuer: string | undefined): string {
  const value = trimIssuer(issuer ?? DEFAULT_ISSUER);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LoginError("invalid_argument", "issuer must be an http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LoginError("invalid_argument", "issuer must be an http(s) URL");
  }
  return value;
}

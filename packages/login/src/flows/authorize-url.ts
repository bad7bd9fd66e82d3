import { DEFAULT_ORIGINATOR, LOGIN_SCOPES, trimIssuer } from "./oauth-defaults.js";

/** Input of {@link buildAuthorizeUrl}. */
export interface AuthorizeUrlInput {
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly state: string;
  readonly originator?: string | undefined;
  readonly scope?: string | undefined;
  readonly forcedWorkspaceIds?: readonly string[] | undefined;
}

/** Percent-encodes everything but RFC 3986 unreserved characters (space is `%20`). */
function encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Builds `{issuer}/oauth/authorize?…` with upstream's parameters in upstream's order:
 * `response_type`, `client_id`, `redirect_uri`, `scope`, `code_challenge`,
 * `code_challenge_method=S256`, `id_token_add_organizations`, `codex_cli_simplified_flow`,
 * `state`, `originator`, then `allowed_workspace_id` when workspaces are forced.
 *
 * @example
 * ```ts
 * buildAuthorizeUrl({ issuer, clientId, redirectUri, codeChallenge, state });
 * ```
 */
export function buildAuthorizeUrl(input: AuthorizeUrlInput): string {
  const params: Array<[string, string]> = [
    ["response_type", "code"],
    ["client_id", input.clientId],
    ["redirect_uri", input.redirectUri],
    ["scope", input.scope ?? LOGIN_SCOPES],
    ["code_challenge", input.codeChallenge],
    ["code_challenge_method", "S256"],
    ["id_token_add_organizations", "true"],
    ["codex_cli_simplified_flow", "true"],
    ["state", input.state],
    ["originator", input.originator ?? DEFAULT_ORIGINATOR],
  ];
  const forced = (input.forcedWorkspaceIds ?? []).filter((id) => id !== "");
  if (forced.length > 0) params.push(["allowed_workspace_id", forced.join(",")]);
  const query = params.map(([k, v]) => `${k}=${encode(v)}`).join("&");
  return `${trimIssuer(input.issuer)}/oauth/authorize?${query}`;
}

import type { AuthManager, LoginError } from "@codex/login";
import { createAuthManagerFromConfig } from "../auth-manager-from-config.js";
import type { CliContext } from "../cli-context.js";
import type { CliConfig } from "../config.js";

/** Issuer and client overrides (upstream's hidden `--experimental_issuer` / `--experimental_client-id`). */
export interface IssuerOverrides {
  readonly issuer?: string | undefined;
  readonly clientId?: string | undefined;
}

/** The one AuthManager of a login command, configured from the CLI config. */
export function createCliAuthManager(
  ctx: CliContext,
  config: CliConfig,
  overrides: IssuerOverrides = {},
): Promise<AuthManager> {
  return createAuthManagerFromConfig(config, {
    env: ctx.env,
    enableCodexApiKeyEnv: false,
    originator: "codex_cli_rs",
    issuer: overrides.issuer,
    clientId: overrides.clientId,
  });
}

/**
 * A LoginError as the text upstream prints after its prefix. The commit-lock timeout keeps
 * upstream's words; everything else is @codex/login's message (never a secret).
 */
export function loginErrorText(err: LoginError): string {
  if (err.code === "lock_timeout") return "credential commit lock timed out";
  return err.message;
}

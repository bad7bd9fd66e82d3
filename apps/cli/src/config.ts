import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CliContext } from "./cli-context.js";
import { CliError } from "./cli-error.js";
import { resolveCliCodexHome } from "./codex-home.js";

export type CliCredentialsStoreMode = "file" | "keyring" | "auto" | "ephemeral";

/** What the CLI's commands read from the configuration (a view of @codex/config's CodexConfig). */
export interface CliConfig {
  readonly codexHome: string;
  readonly cliAuthCredentialsStore: CliCredentialsStoreMode;
  readonly forcedLoginMethod: "chatgpt" | "api" | undefined;
  readonly forcedChatgptWorkspaceId: string | undefined;
  readonly chatgptBaseUrl: string;
  /** The full @codex/config result, when config.toml or an override was loaded. */
  readonly full: unknown;
}

const DEFAULTS = {
  cliAuthCredentialsStore: "file",
  forcedLoginMethod: undefined,
  forcedChatgptWorkspaceId: undefined,
  chatgptBaseUrl: "https://chatgpt.com/backend-api/",
  full: undefined,
} as const;

/**
 * The one place the CLI loads its configuration: `$CODEX_HOME/config.toml` plus the `-c`
 * overrides (in order). With no config.toml and no override, the defaults are used without
 * loading the TOML parser (`codex login status` stays fast). Errors use upstream's prefixes:
 * `Error parsing -c overrides: …` and `Error loading configuration: …`.
 */
export async function loadCliConfig(
  ctx: CliContext,
  overrides: readonly string[],
): Promise<CliConfig> {
  const codexHome = resolveCliCodexHome(ctx.env);
  if (overrides.length === 0 && !existsSync(join(codexHome, "config.toml"))) {
    return { codexHome, ...DEFAULTS };
  }
  return { codexHome, ...DEFAULTS };
}

/** For commands: a config failure as the one line upstream prints. */
export function configFailure(message: string, override: boolean): CliError {
  return new CliError(
    "config",
    override ? `Error parsing -c overrides: ${message}` : `Error loading configuration: ${message}`,
  );
}

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CodexConfig } from "@codex/config";
import type { Logger } from "@codex/wire";
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
  /** The full @codex/config result; undefined when there was nothing to load (defaults). */
  readonly full: CodexConfig | undefined;
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
  const codexHome = existingCodexHome(ctx);
  if (overrides.length === 0 && !existsSync(join(codexHome, "config.toml"))) {
    return { codexHome, ...DEFAULTS };
  }
  const config = await loadCodexConfig(ctx, overrides);
  return {
    codexHome: config.codexHome,
    cliAuthCredentialsStore: config.cliAuthCredentialsStore,
    forcedLoginMethod: config.forcedLoginMethod,
    forcedChatgptWorkspaceId: config.forcedChatgptWorkspaceId,
    chatgptBaseUrl: config.chatgptBaseUrl,
    full: config,
  };
}

/**
 * The full @codex/config `CodexConfig` (for `exec` and `app-server`): config.toml + the `-c`
 * overrides, unknown keys warned on stderr, a bad file or override as a one-line CliError.
 */
export async function loadCodexConfig(
  ctx: CliContext,
  overrides: readonly string[],
  profile?: string,
): Promise<CodexConfig> {
  const { ConfigError, loadConfig } = await import("@codex/config");
  try {
    return await loadConfig({
      codexHome: existingCodexHome(ctx),
      overrides,
      env: ctx.env,
      logger: stderrWarnings(ctx),
      ...(profile === undefined ? {} : { profile }),
    });
  } catch (err) {
    if (!ConfigError.is(err)) throw err;
    throw configFailure(err.message, err.code === "invalid_override");
  }
}

/** Unknown keys and other config warnings: one `warning: …` line each on stderr. */
function stderrWarnings(ctx: CliContext): Logger {
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (message) => {
      ctx.stderr.write(`warning: ${message}\n`);
    },
    error: (message) => {
      ctx.stderr.write(`error: ${message}\n`);
    },
    child: () => logger,
  };
  return logger;
}

/**
 * The Codex home; a `CODEX_HOME` that does not exist is upstream's error
 * (`CODEX_HOME points to "…", but that path does not exist`). `~/.codex` may be missing.
 */
function existingCodexHome(ctx: CliContext): string {
  const codexHome = resolveCliCodexHome(ctx.env);
  const fromEnv = ctx.env.CODEX_HOME;
  if (fromEnv !== undefined && fromEnv !== "" && !existsSync(codexHome)) {
    throw configFailure(`CODEX_HOME points to "${codexHome}", but that path does not exist`, false);
  }
  return codexHome;
}

/** For commands: a config failure as the one line upstream prints. */
export function configFailure(message: string, override: boolean): CliError {
  return new CliError(
    "config",
    override ? `Error parsing -c overrides: ${message}` : `Error loading configuration: ${message}`,
  );
}

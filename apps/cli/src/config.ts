import type { CliContext } from "./cli-context.js";

/** What the CLI needs from the configuration (a subset of @codex/config's CodexConfig). */
export interface CliConfig {
  readonly codexHome: string;
  readonly overrides: readonly string[];
}

/**
 * The one place the CLI loads its configuration ($CODEX_HOME/config.toml + `-c` overrides).
 * Placeholder until @codex/config lands; then it calls loadConfig.
 */
export async function loadCliConfig(
  ctx: CliContext,
  overrides: readonly string[],
): Promise<CliConfig> {
  const { resolveCliCodexHome } = await import("./codex-home.js");
  return { codexHome: resolveCliCodexHome(ctx.env), overrides };
}

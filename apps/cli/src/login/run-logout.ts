import type { CliContext } from "../cli-context.js";
import { CliError } from "../cli-error.js";

/** `codex logout`. */
export async function runLogout(
  _ctx: CliContext,
  _options: { readonly overrides: readonly string[] },
): Promise<number> {
  throw new CliError("unavailable", "codex logout is not implemented yet.");
}

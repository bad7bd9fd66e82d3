import type { CliContext } from "../cli-context.js";
import { CliError } from "../cli-error.js";

/** `codex login status`. */
export async function runLoginStatus(
  _ctx: CliContext,
  _options: { readonly overrides: readonly string[] },
): Promise<number> {
  throw new CliError("unavailable", "codex login status is not implemented yet.");
}

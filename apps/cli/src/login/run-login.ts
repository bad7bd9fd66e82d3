import type { CliContext } from "../cli-context.js";
import { CliError } from "../cli-error.js";

export interface RunLoginOptions {
  readonly withApiKey?: boolean;
  readonly deviceAuth?: boolean;
  readonly overrides: readonly string[];
}

/** `codex login`. */
export async function runLogin(_ctx: CliContext, _options: RunLoginOptions): Promise<number> {
  throw new CliError("unavailable", "codex login is not implemented yet.");
}

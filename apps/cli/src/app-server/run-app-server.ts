import type { CliContext } from "../cli-context.js";
import { CliError } from "../cli-error.js";

/** `codex app-server`: until @codex/app-server provides runAppServer, a clear one-line error. */
export async function runAppServerCommand(
  _ctx: CliContext,
  options: { readonly listen: string; readonly overrides: readonly string[] },
): Promise<number> {
  if (options.listen !== "stdio://") {
    throw new CliError(
      "usage",
      `Unsupported --listen ${options.listen}: only stdio:// is supported.`,
    );
  }
  throw new CliError(
    "unavailable",
    "codex app-server is not available in this build yet (@codex/app-server has no runAppServer).",
  );
}

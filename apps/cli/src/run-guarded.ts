import type { CliContext } from "./cli-context.js";
import { CliError } from "./cli-error.js";

/** True when the user asked for stack traces (`CODEX_DEBUG=1`). */
function debugEnabled(env: NodeJS.ProcessEnv): boolean {
  const v = env.CODEX_DEBUG;
  return v !== undefined && v !== "" && v !== "0" && v !== "false";
}

/** commander's own errors (help, version, usage) carry a `commander.*` code and an exit code. */
function commanderExit(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, exitCode } = err as Error & { code?: unknown; exitCode?: unknown };
  if (typeof code !== "string" || !code.startsWith("commander.") || typeof exitCode !== "number")
    return undefined;
  return exitCode;
}

/**
 * Runs a command line's body with the one top-level error policy: a CliError prints its one line
 * (and exit code); commander's help/version end 0 and its usage errors (already printed) end 2;
 * anything else prints `Error: <message>` and a hint, never a stack unless CODEX_DEBUG=1.
 */
export async function runGuarded(ctx: CliContext, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const commander = commanderExit(err);
    if (commander !== undefined) return commander === 0 ? 0 : 2;
    const debug = debugEnabled(ctx.env);
    if (CliError.is(err)) {
      ctx.stderr.write(`${err.message}\n`);
      if (debug && err.stack) ctx.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    ctx.stderr.write(`Error: ${message}\n`);
    if (debug && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
    else ctx.stderr.write("Run again with CODEX_DEBUG=1 to see where it failed.\n");
    return 1;
  }
}

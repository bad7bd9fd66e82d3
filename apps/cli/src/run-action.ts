import type { CliContext } from "./cli-context.js";

/**
 * Runs a command's body and records the exit code it returns. Errors propagate to the top
 * level (./run-guarded.ts), which prints one line and picks the exit code.
 */
export async function runAction(ctx: CliContext, body: () => Promise<number>): Promise<void> {
  ctx.exit.code = await body();
}

import type { Command } from "commander";
import { type CliContext, configOverrides } from "../cli-context.js";
import type { CommandModule } from "../commands.js";
import { runAction } from "../run-action.js";

/** `codex app-server`: the app-server on stdio (JSON-RPC lines). */
export const appServerCommand: CommandModule = {
  name: "app-server",
  register(program: Command, ctx: CliContext): void {
    program
      .command("app-server")
      .description("[experimental] Run the app server or related tooling")
      .option(
        "--listen <URL>",
        "Transport endpoint URL. Supported values: `stdio://` (default)",
        "stdio://",
      )
      .option("--stdio", "Use stdio as the transport (equivalent to `--listen stdio://`)")
      .action(async (flags: { listen: string; stdio?: boolean }, command: Command) => {
        await runAction(ctx, async () => {
          const { runAppServerCommand } = await import("./run-app-server.js");
          return runAppServerCommand(ctx, {
            listen: flags.listen,
            overrides: configOverrides(command),
          });
        });
      });
  },
};

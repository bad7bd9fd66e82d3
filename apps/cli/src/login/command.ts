import type { Command } from "commander";
import { type CliContext, configOverrides } from "../cli-context.js";
import type { CommandModule } from "../commands.js";
import { runAction } from "../run-action.js";

interface LoginFlags {
  withApiKey?: boolean;
  deviceAuth?: boolean;
  apiKey?: string;
}

/** `codex login` (browser, `--device-auth`, `--with-api-key`) and `codex login status`. */
export const loginCommand: CommandModule = {
  name: "login",
  register(program: Command, ctx: CliContext): void {
    const login = program
      .command("login")
      .description("Manage login")
      .option(
        "--with-api-key",
        "Read the API key from stdin (e.g. `printenv OPENAI_API_KEY | codex login --with-api-key`)",
      )
      .option("--device-auth", "Sign in with a device code instead of the browser")
      .action(async (flags: LoginFlags, command: Command) => {
        await runAction(ctx, async () => {
          const { runLogin } = await import("./run-login.js");
          return runLogin(ctx, { ...flags, overrides: configOverrides(command) });
        });
      });
    login
      .command("status")
      .description("Show login status")
      .action(async (_flags: unknown, command: Command) => {
        await runAction(ctx, async () => {
          const { runLoginStatus } = await import("./run-login-status.js");
          return runLoginStatus(ctx, { overrides: configOverrides(command) });
        });
      });
  },
};

/** `codex logout`: revoke, then remove the stored credentials. */
export const logoutCommand: CommandModule = {
  name: "logout",
  register(program: Command, ctx: CliContext): void {
    program
      .command("logout")
      .description("Remove stored authentication credentials")
      .action(async (_flags: unknown, command: Command) => {
        await runAction(ctx, async () => {
          const { runLogout } = await import("./run-logout.js");
          return runLogout(ctx, { overrides: configOverrides(command) });
        });
      });
  },
};

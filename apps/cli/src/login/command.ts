import { type Command, Option } from "commander";
import { type CliContext, configOverrides } from "../cli-context.js";
import { CliError } from "../cli-error.js";
import type { CommandModule } from "../commands.js";
import { runAction } from "../run-action.js";

interface LoginFlags {
  withApiKey?: boolean;
  deviceAuth?: boolean;
  apiKey?: string;
  experimental_issuer?: string;
  experimental_clientId?: string;
  experimental_port?: string;
}

const API_KEY_FLAG_GONE =
  "The --api-key flag is no longer supported. Pipe the key instead, e.g. `printenv OPENAI_API_KEY | codex login --with-api-key`.";

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
      .addOption(new Option("--api-key <API_KEY>", "(deprecated) use --with-api-key").hideHelp())
      .addOption(
        new Option("--experimental_issuer <URL>", "OAuth issuer base URL (advanced)").hideHelp(),
      )
      .addOption(
        new Option("--experimental_client-id <ID>", "OAuth client ID (advanced)").hideHelp(),
      )
      .addOption(
        new Option("--experimental_port <PORT>", "loopback port of the browser login").hideHelp(),
      )
      .action(async (flags: LoginFlags, command: Command) => {
        await runAction(ctx, async () => {
          if (flags.apiKey !== undefined) {
            // never echo the key; upstream's guidance
            ctx.stderr.write(`${API_KEY_FLAG_GONE}\n`);
            return 1;
          }
          const { runLogin } = await import("./run-login.js");
          const port =
            flags.experimental_port === undefined ? undefined : Number(flags.experimental_port);
          if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
            throw new CliError("usage", "--experimental_port must be a port number (0-65535).", {
              exitCode: 2,
            });
          }
          return runLogin(ctx, {
            withApiKey: flags.withApiKey,
            deviceAuth: flags.deviceAuth,
            issuer: flags.experimental_issuer,
            clientId: flags.experimental_clientId,
            port,
            overrides: configOverrides(command),
          });
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

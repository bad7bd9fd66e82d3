import { Command, CommanderError } from "commander";
import type { CliContext } from "./cli-context.js";
import { CliError } from "./cli-error.js";
import { COMMANDS } from "./commands.js";
import { cliVersion } from "./version.js";

const CONFIG_HELP =
  "Override a configuration value that would otherwise be loaded from `~/.codex/config.toml`. " +
  "Use a dotted path (`foo.bar.baz`) to override nested values. The `value` portion is parsed as TOML. " +
  "If it fails to parse as TOML, the raw string is used as a literal.";

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Builds the `codex` program: global options and every command of the table (./commands.ts). */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command("codex")
    .description("Codex CLI")
    .option("-c, --config <key=value>", CONFIG_HELP, collect)
    .version(cliVersion(), "-V, --version", "Print version")
    .helpOption("-h, --help", "Print help")
    .helpCommand("help [command]", "Print this message or the help of the given subcommand(s)")
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: (s, write) => write(s),
    })
    .exitOverride();
  for (const command of COMMANDS) command.register(program, ctx);
  return program;
}

/** True when the user asked for stack traces (`CODEX_DEBUG=1`). */
function debugEnabled(env: NodeJS.ProcessEnv): boolean {
  const v = env.CODEX_DEBUG;
  return v !== undefined && v !== "" && v !== "0" && v !== "false";
}

/**
 * Runs `codex` with `argv` (without node and the script) and returns the exit code. Prints
 * errors as one line on stderr (the stack only with CODEX_DEBUG=1).
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exit.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version end with code 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (CliError.is(err)) {
      ctx.stderr.write(`${err.message}\n`);
      if (debugEnabled(ctx.env) && err.stack) ctx.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    ctx.stderr.write(`Error: ${message}\n`);
    if (debugEnabled(ctx.env) && err instanceof Error && err.stack)
      ctx.stderr.write(`${err.stack}\n`);
    else ctx.stderr.write("Run again with CODEX_DEBUG=1 to see where it failed.\n");
    return 1;
  }
}

import { Command } from "commander";
import type { CliContext } from "./cli-context.js";
import { COMMANDS } from "./commands.js";
import { runGuarded } from "./run-guarded.js";
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

/**
 * Runs `codex` with `argv` (without node and the script) and returns the exit code. Prints
 * errors as one line on stderr (the stack only with CODEX_DEBUG=1).
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  return runGuarded(ctx, async () => {
    const program = buildProgram(ctx);
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exit.code;
  });
}

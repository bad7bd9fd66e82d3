/**
 * The command table: every subcommand of `codex` is one entry here.
 *
 * How a command registers (e.g. `codex exec`, owned by src/exec/**):
 *   1. In its own folder, export a `CommandModule` (see below) from a small file, e.g.
 *      `src/exec/command.ts`: `export const execCommand: CommandModule = { name: "exec", register(program, ctx) { ... } }`.
 *   2. `register` adds the subcommand to the commander `program` (name, aliases, options, help
 *      text) and sets an action that **lazily** imports the implementation:
 *        .action(async (...args) => runAction(ctx, async () => (await import("./run-exec.js")).runExec(ctx, ...)))
 *      so that loading the table costs only commander. `runAction` (./run-action.ts) records the
 *      exit code the body returns; a thrown CliError (./cli-error.ts) becomes its one line on
 *      stderr and its exit code (./run-guarded.ts). SIGINT/SIGTERM abort `ctx.signal`; after the
 *      command returns, the process ends by that signal (./bin.ts).
 *   3. Add one import line and one array entry below (keep the order of upstream's `codex --help`).
 *
 * `-c/--config key=value` is a global option of the root program: read it in an action with
 * `configOverrides(command)` (./cli-context.ts) and load the config with `loadCodexConfig` (the
 * full @codex/config CodexConfig) or `loadCliConfig` (the login view), both in ./config.ts.
 */
import type { Command } from "commander";
import { appServerCommand } from "./app-server/command.js";
import type { CliContext } from "./cli-context.js";
import { execCommand } from "./exec/command.js";
import { loginCommand, logoutCommand } from "./login/command.js";

export interface CommandModule {
  /** The subcommand's name, as typed (`login`, `exec`, ...). */
  readonly name: string;
  /** Adds the subcommand to `program`. Must not import heavy modules: actions import lazily. */
  register(program: Command, ctx: CliContext): void;
}

export const COMMANDS: readonly CommandModule[] = [
  execCommand,
  loginCommand,
  logoutCommand,
  appServerCommand,
];

/**
 * The command table: every subcommand of `codex` is one entry here.
 *
 * How a command registers (e.g. `codex exec`, owned by src/exec/**):
 *   1. In its own folder, export a `CommandModule` (see below) from a small file, e.g.
 *      `src/exec/command.ts`: `export const execCommand: CommandModule = { name: "exec", register(program, ctx) { ... } }`.
 *   2. `register` adds the subcommand to the commander `program` (name, aliases, options, help
 *      text) and sets an action that **lazily** imports the implementation:
 *        .action(async (...args) => { const { runExec } = await import("./run-exec.js"); setExit(await runExec(...)); })
 *      so that loading the table costs only commander. Use `runAction(ctx, fn)` from
 *      ./run-action.ts to get the exit-code and error handling every command shares.
 *   3. Add one import line and one array entry below (keep the order of upstream's `codex --help`).
 *
 * `-c/--config key=value` is a global option of the root program: read it in an action with
 * `configOverrides(command)` (./cli-context.ts) and load the config with `loadCliConfig` (./config.ts).
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

import { type Command, Option } from "commander";
import { type CliContext, configOverrides } from "../cli-context.js";
import type { CommandModule } from "../commands.js";
import { runAction } from "../run-action.js";
import type { ExecFlags } from "./exec-flags.js";

const PROMPT_HELP =
  "Initial instructions for the agent. If not provided as an argument (or if `-` is used), " +
  "instructions are read from stdin. If stdin is piped and a prompt is also provided, stdin is " +
  "appended as a `<stdin>` block";

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The options `exec` and `exec resume` share (upstream repeats them on both). */
function sharedOptions(command: Command, forResume: boolean): Command {
  command
    .option(
      "--enable <FEATURE>",
      "Enable a feature (repeatable). Equivalent to `-c features.<name>=true`",
      collect,
    )
    .option(
      "--disable <FEATURE>",
      "Disable a feature (repeatable). Equivalent to `-c features.<name>=false`",
      collect,
    )
    .option(
      "-i, --image <FILE>",
      forResume
        ? "Optional image(s) to attach to the prompt sent after resuming"
        : "Optional image(s) to attach to the initial prompt",
      collect,
    )
    .option("-m, --model <MODEL>", "Model the agent should use")
    .option("--skip-git-repo-check", "Allow running Codex outside a Git repository")
    .option("--json", "Print events to stdout as JSONL")
    .addOption(new Option("--experimental-json", "Print events to stdout as JSONL").hideHelp())
    .option(
      "-o, --output-last-message <FILE>",
      "Specifies file where the last message from the agent should be written",
    )
    .addOption(
      new Option(
        "--dangerously-bypass-approvals-and-sandbox",
        "Accepted; no tool runs, so there is nothing to approve or sandbox",
      ),
    )
    .addOption(new Option("--dangerously-bypass-hook-trust").hideHelp())
    .addOption(new Option("--ignore-rules").hideHelp());
  command.addOption(
    new Option(
      "--output-schema <FILE>",
      "Path to a JSON Schema file describing the model's final response shape",
    ),
  );
  // Upstream flags this runtime refuses with one line (see UNSUPPORTED_FLAGS).
  for (const option of [
    new Option("--ephemeral"),
    new Option("--strict-config"),
    new Option("--worktree"),
    new Option("--thread-source <SOURCE>"),
    new Option("--cyber-access-program <PROGRAM>"),
    new Option("--trust"),
    new Option("--ignore-user-config"),
  ]) {
    command.addOption(option.hideHelp());
  }
  return command;
}

async function run(
  ctx: CliContext,
  command: Command,
  flags: ExecFlags,
  operands: readonly (string | undefined)[],
  resume: boolean,
): Promise<void> {
  await runAction(ctx, async () => {
    const { execRequestFromFlags } = await import("./exec-flags.js");
    const { runExec } = await import("./run-exec.js");
    const request = execRequestFromFlags({
      flags,
      overrides: configOverrides(command),
      operands,
      resume,
    });
    return runExec(ctx, request);
  });
}

/**
 * `codex exec [PROMPT]` and `codex exec resume [SESSION_ID] [PROMPT]`: one non-interactive turn
 * (src/exec/run-exec.ts). Everything heavy is imported when the action runs.
 */
export const execCommand: CommandModule = {
  name: "exec",
  register(program: Command, ctx: CliContext): void {
    const exec = program
      .command("exec")
      .alias("e")
      .description("Run Codex non-interactively")
      .argument("[PROMPT]", PROMPT_HELP)
      .addOption(
        new Option(
          "-s, --sandbox <SANDBOX_MODE>",
          "Select the sandbox policy to use when executing model-generated shell commands (no tool runs here: accepted, nothing is executed)",
        ).choices(["read-only", "workspace-write", "danger-full-access"]),
      )
      .option("-C, --cd <DIR>", "Tell the agent to use the specified directory as its working root")
      .option(
        "--add-dir <DIR>",
        "Additional directories that should be writable alongside the primary workspace (accepted; nothing is written)",
        collect,
      )
      .addOption(
        new Option("--color <COLOR>", "Specifies color settings for use in the output")
          .choices(["always", "never", "auto"])
          .default("auto"),
      )
      .addOption(new Option("--approve-for-me").hideHelp())
      .addOption(new Option("--oss").hideHelp())
      .addOption(new Option("--local-provider <OSS_PROVIDER>").hideHelp())
      .addOption(
        new Option("-p, --profile <CONFIG_PROFILE>", "Configuration profile from config.toml"),
      );
    sharedOptions(exec, false);
    exec.action(async (prompt: string | undefined, flags: ExecFlags, command: Command) => {
      await run(ctx, command, flags, [prompt], false);
    });

    const resume = exec
      .command("resume")
      .description("Resume a previous session by id or pick the most recent with --last")
      .argument(
        "[SESSION_ID]",
        "Conversation/session id (UUID). If omitted, use --last to pick the most recent recorded session",
      )
      .argument(
        "[PROMPT]",
        "Prompt to send after resuming the session. If `-` is used, read from stdin",
      )
      .option("--last", "Resume the most recent recorded session (newest) without specifying an id")
      .option("--all", "Show all sessions (disables cwd filtering)");
    sharedOptions(resume, true);
    resume.action(
      async (
        sessionId: string | undefined,
        prompt: string | undefined,
        flags: ExecFlags,
        command: Command,
      ) => {
        const { mergeFlags } = await import("./exec-flags.js");
        const parentFlags = (command.parent?.opts() ?? {}) as ExecFlags;
        await run(ctx, command, mergeFlags(parentFlags, flags), [sessionId, prompt], true);
      },
    );

    for (const [name, description] of [
      ["fork", "Fork a previous session by id into a new session"],
      ["review", "Run a code review against the current repository"],
    ] as const) {
      exec
        .command(name)
        .description(`${description} (not supported here)`)
        .allowUnknownOption()
        .allowExcessArguments()
        .action(async () => {
          await runAction(ctx, async () => {
            const { unsupported } = await import("./exec-flags.js");
            throw unsupported(`codex exec ${name}`, "only new and resumed sessions are");
          });
        });
    }
  },
};

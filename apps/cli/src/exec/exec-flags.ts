import { CliError } from "../cli-error.js";
import type { ExecRequest, ExecResume } from "./run-exec.js";

/** The flags of `codex exec` (and `codex exec resume`) as commander hands them over. */
export interface ExecFlags {
  readonly enable?: readonly string[] | undefined;
  readonly disable?: readonly string[] | undefined;
  readonly image?: readonly string[] | undefined;
  readonly model?: string | undefined;
  readonly sandbox?: string | undefined;
  readonly cd?: string | undefined;
  readonly addDir?: readonly string[] | undefined;
  readonly skipGitRepoCheck?: boolean | undefined;
  readonly json?: boolean | undefined;
  readonly experimentalJson?: boolean | undefined;
  readonly outputLastMessage?: string | undefined;
  readonly color?: string | undefined;
  readonly last?: boolean | undefined;
  readonly all?: boolean | undefined;
  // Accepted, nothing to do (no tool ever runs, so nothing asks for approval or runs a hook):
  readonly dangerouslyBypassApprovalsAndSandbox?: boolean | undefined;
  readonly dangerouslyBypassHookTrust?: boolean | undefined;
  readonly approveForMe?: boolean | undefined;
  readonly ignoreRules?: boolean | undefined;
  readonly profile?: string | undefined;
  readonly outputSchema?: string | undefined;
  // Refused (see UNSUPPORTED_FLAGS):
  readonly strictConfig?: boolean | undefined;
  readonly oss?: boolean | undefined;
  readonly localProvider?: string | undefined;
  readonly worktree?: boolean | undefined;
  readonly threadSource?: string | undefined;
  readonly cyberAccessProgram?: string | undefined;
  readonly trust?: boolean | undefined;
  readonly ephemeral?: boolean | undefined;
  readonly ignoreUserConfig?: boolean | undefined;
}

/**
 * Flags of upstream's `codex exec` this runtime cannot honour, with the reason printed. They are
 * recognised (so the error is this one line, not "unknown option"), hidden from `--help`.
 */
export const UNSUPPORTED_FLAGS: ReadonlyArray<readonly [keyof ExecFlags, string, string]> = [
  ["ephemeral", "--ephemeral", "every thread is recorded"],
  ["strictConfig", "--strict-config", "unknown config keys are only warned about"],
  ["oss", "--oss", "there is no open-source provider selection"],
  ["localProvider", "--local-provider", "there is no local provider selection"],
  ["worktree", "--worktree", "no tool runs here, so there is no change to isolate in a worktree"],
  ["threadSource", "--thread-source", "threads are always classified as exec threads"],
  [
    "cyberAccessProgram",
    "--cyber-access-program",
    "access programs are granted by OpenAI's hosted service",
  ],
  ["trust", "--trust", "project trust is not recorded"],
  ["ignoreUserConfig", "--ignore-user-config", "config.toml is always read"],
];

/** The one-line refusal of an unsupported flag or subcommand. */
export function unsupported(what: string, why: string): CliError {
  return new CliError(
    "unavailable",
    `Error: ${what} is not supported by this codex exec (${why}).`,
  );
}

/** Features named by `--enable` / `--disable`, as `-c features.<name>=true|false` overrides. */
function featureOverrides(flags: ExecFlags): string[] {
  const out: string[] = [];
  for (const name of flags.enable ?? []) out.push(`features.${name}=true`);
  for (const name of flags.disable ?? []) out.push(`features.${name}=false`);
  return out;
}

function defined<T extends object>(flags: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(flags).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/**
 * `exec`'s flags merged with `resume`'s (given after `resume`, they win; lists add up), as the
 * SDK puts `--experimental-json`, `--model`, … before `resume <id>` and `--image` after it.
 */
export function mergeFlags(execFlags: ExecFlags, resumeFlags: ExecFlags): ExecFlags {
  const merged: Record<string, unknown> = { ...defined(execFlags), ...defined(resumeFlags) };
  for (const key of ["enable", "disable", "image", "addDir"] as const) {
    const list = [...(execFlags[key] ?? []), ...(resumeFlags[key] ?? [])];
    if (list.length > 0) merged[key] = list;
  }
  return merged as ExecFlags;
}

/** Options of {@link execRequestFromFlags}. */
export interface FlagsInput {
  readonly flags: ExecFlags;
  /** Global `-c` overrides, in order. */
  readonly overrides: readonly string[];
  /** `codex exec [PROMPT]`'s operand, or `resume`'s `[SESSION_ID] [PROMPT]`. */
  readonly operands: readonly (string | undefined)[];
  readonly resume: boolean;
}

/**
 * The run a command line asks for: unsupported flags refused, `--enable`/`--disable` as
 * overrides, `resume --last [PROMPT]` (its first operand is then the prompt).
 *
 * @throws {CliError} `unavailable` for a flag this runtime cannot honour; `usage` for `resume`
 *   with neither a session id nor `--last`.
 */
export function execRequestFromFlags(input: FlagsInput): ExecRequest {
  const { flags } = input;
  for (const [key, flag, why] of UNSUPPORTED_FLAGS) {
    if (flags[key] !== undefined && flags[key] !== false) throw unsupported(flag, why);
  }
  let prompt = input.operands[0];
  let resume: ExecResume | undefined;
  if (input.resume) {
    const last = flags.last === true;
    if (last) {
      if (input.operands[1] !== undefined) {
        throw new CliError("usage", "Error: --last takes no session id; give only the prompt.", {
          exitCode: 2,
        });
      }
      resume = { threadId: undefined, last: true, all: flags.all === true };
    } else {
      const threadId = input.operands[0];
      if (threadId === undefined) {
        throw new CliError(
          "usage",
          "Error: codex exec resume needs a session id, or --last for the most recent session.",
          { exitCode: 2 },
        );
      }
      resume = { threadId, last: false, all: flags.all === true };
      prompt = input.operands[1];
    }
  }
  return {
    prompt,
    resume,
    json: flags.json === true || flags.experimentalJson === true,
    model: flags.model,
    cd: flags.cd,
    skipGitRepoCheck: flags.skipGitRepoCheck === true,
    outputLastMessage: flags.outputLastMessage,
    outputSchema: flags.outputSchema,
    profile: flags.profile,
    images: [...(flags.image ?? [])],
    sandbox: flags.sandbox,
    overrides: [...input.overrides, ...featureOverrides(flags)],
  };
}

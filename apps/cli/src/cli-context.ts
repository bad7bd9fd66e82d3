import type { Command } from "commander";

/** A writable text stream (process.stdout / process.stderr). */
export type TextSink = NodeJS.WritableStream;

/**
 * What every command gets: the process edges, injectable for tests. Commands print through
 * `stdout` / `stderr`, read `env`, and return an exit code; they never call `process.exit`.
 */
export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: TextSink & { readonly isTTY?: boolean };
  readonly stderr: TextSink & { readonly isTTY?: boolean };
  /** Aborted on SIGINT / SIGTERM (the first one); a command cancels its work and returns. */
  readonly signal: AbortSignal;
  /** The exit code the process ends with; `runAction` (./run-action.ts) sets it. */
  readonly exit: { code: number };
}

/**
 * The `-c key=value` overrides given anywhere on the command line (before or after the
 * subcommand), in order. `command` is the action's own command object.
 */
export function configOverrides(command: Command): string[] {
  const all = command.optsWithGlobals<{ config?: string[] }>();
  return [...(all.config ?? [])];
}

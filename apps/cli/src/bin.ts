#!/usr/bin/env node
/**
 * The `codex` executable. Everything here is cheap: commander and the command table. Each
 * command imports its implementation only when it runs (see ./commands.ts).
 */
import type { CliContext } from "./cli-context.js";
import { runCli } from "./main.js";

const controller = new AbortController();
const onSignal = (signal: NodeJS.Signals): void => {
  if (controller.signal.aborted) {
    // A second Ctrl-C: stop now.
    process.exit(signal === "SIGINT" ? 130 : 143);
  }
  controller.abort(signal);
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const ctx: CliContext = {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  exit: { code: 0 },
};

process.exitCode = await runCli(process.argv.slice(2), ctx);
process.off("SIGINT", onSignal);
process.off("SIGTERM", onSignal);

#!/usr/bin/env node
/**
 * The `codex` executable. Everything here is cheap: commander and the command table. Each
 * command imports its implementation only when it runs (see ./commands.ts).
 *
 * Ctrl-C (SIGINT) or SIGTERM aborts `ctx.signal`: the running command cancels its work (a browser
 * login closes its loopback server), then the process ends by that same signal, as upstream
 * does. A second Ctrl-C ends it at once.
 */
import type { CliContext } from "./cli-context.js";
import { runCli } from "./main.js";

const controller = new AbortController();
let received: NodeJS.Signals | undefined;
const onSignal = (signal: NodeJS.Signals): void => {
  if (received !== undefined) process.exit(signal === "SIGINT" ? 130 : 143);
  received = signal;
  controller.abort(new Error(`interrupted by ${signal}`));
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

const code = await runCli(process.argv.slice(2), ctx);
process.off("SIGINT", onSignal);
process.off("SIGTERM", onSignal);
if (received !== undefined) {
  // End by the signal itself (exit status 128 + n in a shell), like upstream.
  process.kill(process.pid, received);
}
process.exitCode = code;

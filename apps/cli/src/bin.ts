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

const controller = new AbortController();
let received: NodeJS.Signals | undefined;
const onSignal = (signal: NodeJS.Signals): void => {
  if (received !== undefined) process.exit(signal === "SIGINT" ? 130 : 143);
  received = signal;
  controller.abort(new Error(`interrupted by ${signal}`));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

// A reader that went away (`codex --help | head -1`) is not an error of ours: the rest of the
// output is dropped and the command ends normally, with no stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
}

const ctx: CliContext = {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  exit: { code: 0 },
};

const argv = process.argv.slice(2);
const code = await run(argv);

/**
 * Two exact command lines skip commander (tens of ms at every start): `codex --version` and
 * `codex login status` with no option. They do what the full parser would do for them; any other
 * command line (including these with `-c`) goes through it.
 */
async function run(args: readonly string[]): Promise<number> {
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    const { cliVersion } = await import("./version.js");
    process.stdout.write(`${cliVersion()}\n`);
    return 0;
  }
  if (args.length === 2 && args[0] === "login" && args[1] === "status") {
    const { runGuarded } = await import("./run-guarded.js");
    return runGuarded(ctx, async () => {
      const { runLoginStatus } = await import("./login/run-login-status.js");
      return runLoginStatus(ctx, { overrides: [] });
    });
  }
  const { runCli } = await import("./main.js");
  return runCli(args, ctx);
}
process.off("SIGINT", onSignal);
process.off("SIGTERM", onSignal);
if (received !== undefined) {
  // End by the signal itself (exit status 128 + n in a shell), like upstream.
  process.kill(process.pid, received);
}
process.exitCode = code;

import { Readable, Writable } from "node:stream";
import type { CliContext } from "../cli-context.js";
import { CliError } from "../cli-error.js";
import { loadCodexConfig } from "../config.js";

/**
 * `codex app-server`: one app-server connection over stdin/stdout (JSON lines), served by
 * @codex/app-server's `runAppServer` (imported only here; threads served by its engine). It ends when the client closes stdin,
 * or on Ctrl-C / SIGTERM after draining (running turns cancelled, rollouts flushed).
 * Environment knobs, read by @codex/app-server exactly as for the `codex-app-server` binary:
 * `CODEX_APP_SERVER_LOGIN_ISSUER`, `CODEX_APP_SERVER_LOGIN_PORT`,
 * `CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS` (by `runAppServer` from `env`; a malformed one is one
 * line and exit 2), `CODEX_APP_SERVER_LOG` (by `appServerLogger`: level of the JSON log lines on
 * stderr, default `warn`).
 */
export async function runAppServerCommand(
  ctx: CliContext,
  options: { readonly listen: string; readonly overrides: readonly string[] },
): Promise<number> {
  if (options.listen !== "stdio://" && options.listen !== "stdio") {
    throw new CliError("usage", `--listen ${options.listen} is not supported: only stdio:// is.`, {
      exitCode: 2,
    });
  }
  const env = ctx.env;
  const config = await loadCodexConfig(ctx, options.overrides);
  const { stdin, stdout } = ctx;
  if (!(stdin instanceof Readable) || !(stdout instanceof Writable)) {
    throw new CliError("failed", "codex app-server needs stdin and stdout as Node streams.");
  }
  const { AppServerError, appServerLogger, runAppServer } = await import("@codex/app-server");
  let server: Awaited<ReturnType<typeof runAppServer>>;
  try {
    server = await runAppServer({ stdin, stdout, config, env, logger: appServerLogger(env) });
  } catch (err) {
    // a malformed environment knob: one line, exit 2 (as the codex-app-server binary)
    if (AppServerError.is(err) && err.code === "invalid_options") {
      throw new CliError("usage", `${err.message}.`, { exitCode: 2 });
    }
    throw err;
  }
  const stop = (): void => {
    void server.close();
  };
  ctx.signal.addEventListener("abort", stop, { once: true });
  try {
    await server.closed;
  } finally {
    ctx.signal.removeEventListener("abort", stop);
  }
  return 0;
}

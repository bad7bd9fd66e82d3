import { Readable, Writable } from "node:stream";
import { createLogger, type LogLevel } from "@codex/wire";
import type { CliContext } from "../cli-context.js";
import { CliError } from "../cli-error.js";
import { loadCodexConfig } from "../config.js";

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

/** A positive integer from the environment, or undefined (a bad value is a one-line error). */
function envInt(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new CliError("usage", `${name} must be an integer ≥ ${min}.`, { exitCode: 2 });
  }
  return n;
}

/**
 * `codex app-server`: one app-server connection over stdin/stdout (JSON lines), served by
 * @codex/app-server's `runAppServer` (imported only here; threads served by its engine). It ends when the client closes stdin,
 * or on Ctrl-C / SIGTERM after draining (running turns cancelled, rollouts flushed).
 * Environment knobs, as the `codex-app-server` binary: `CODEX_APP_SERVER_LOGIN_ISSUER`,
 * `CODEX_APP_SERVER_LOGIN_PORT`, `CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS`,
 * `CODEX_APP_SERVER_LOG` (level of the JSON log lines on stderr, default `warn`).
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
  const issuer = env.CODEX_APP_SERVER_LOGIN_ISSUER;
  const port = envInt(env, "CODEX_APP_SERVER_LOGIN_PORT", 0);
  const refreshTimeout = envInt(env, "CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS", 1);
  const config = await loadCodexConfig(ctx, options.overrides);
  const level = env.CODEX_APP_SERVER_LOG as LogLevel | undefined;
  const logger = createLogger({
    level: level !== undefined && LEVELS.includes(level) ? level : "warn",
  });
  const { stdin, stdout } = ctx;
  if (!(stdin instanceof Readable) || !(stdout instanceof Writable)) {
    throw new CliError("failed", "codex app-server needs stdin and stdout as Node streams.");
  }
  const { runAppServer } = await import("@codex/app-server");
  const server = await runAppServer({
    stdin,
    stdout,
    config,
    env,
    logger,
    ...(issuer === undefined || issuer === "" ? {} : { loginIssuer: issuer }),
    ...(port === undefined ? {} : { browserLoginPort: port }),
    ...(refreshTimeout === undefined ? {} : { externalRefreshTimeoutMs: refreshTimeout }),
  });
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

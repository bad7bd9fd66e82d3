import { createLogger, type Logger, type LogLevel } from "@codex/wire";

const LEVELS: readonly string[] = ["debug", "info", "warn", "error"] satisfies LogLevel[];

/**
 * The logger of the `codex-app-server` binary and of `codex app-server`: JSON lines on stderr at
 * the level of `CODEX_APP_SERVER_LOG` (`debug`, `info`, `warn`, `error`; anything else or unset:
 * `warn`). Nothing logged carries a secret. `runAppServer` itself stays silent unless given one.
 *
 * @example
 * const server = await runAppServer({ stdin, stdout, config, env, logger: appServerLogger(env) });
 */
export function appServerLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  const level = env.CODEX_APP_SERVER_LOG;
  return createLogger({
    level: level !== undefined && LEVELS.includes(level) ? (level as LogLevel) : "warn",
  });
}

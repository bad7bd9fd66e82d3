#!/usr/bin/env node
/**
 * `codex-app-server [-c key=value]...`: one app-server connection over stdin/stdout.
 *
 * A configuration error is one line on stderr and exit code 2; SIGTERM/SIGINT drain (running
 * turns cancelled, rollouts flushed) and exit 0. Environment knobs of ours (tests, embedding):
 * `CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS`, `CODEX_APP_SERVER_LOGIN_ISSUER`,
 * `CODEX_APP_SERVER_LOGIN_PORT`, `CODEX_APP_SERVER_LOG` (log level on stderr, default `warn`).
 */
import { ConfigError, loadConfig } from "@codex/config";
import { createLogger, type LogLevel } from "@codex/wire";
import { parseCommandLine } from "./command-line.js";
import { runAppServer } from "./run-app-server.js";

function fail(message: string): never {
  process.stderr.write(`codex-app-server: ${message.split("\n")[0]}\n`);
  process.exit(2);
}

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

async function main(): Promise<void> {
  const env = process.env;
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine(process.argv.slice(2), env);
  } catch (error) {
    fail((error as Error).message);
  }
  const level = env.CODEX_APP_SERVER_LOG as LogLevel | undefined;
  const logger = createLogger({
    level: level !== undefined && LEVELS.includes(level) ? level : "warn",
  });
  let config: Awaited<ReturnType<typeof loadConfig>>;
  try {
    config = await loadConfig({ overrides: args.overrides, env, logger });
  } catch (error) {
    if (ConfigError.is(error)) fail(error.message);
    fail(`could not load the configuration: ${(error as Error).message}`);
  }
  const server = await runAppServer({
    stdin: process.stdin,
    stdout: process.stdout,
    config,
    env,
    logger,
    ...args.options,
  });
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  await server.closed;
  process.exitCode = 0;
}

void main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

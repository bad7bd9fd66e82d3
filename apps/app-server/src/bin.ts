#!/usr/bin/env node
/**
 * `codex-app-server [-c key=value]...`: one app-server connection over stdin/stdout.
 *
 * A configuration error is one line on stderr and exit code 2; SIGTERM/SIGINT drain (running
 * turns cancelled, rollouts flushed) and exit 0. Environment knobs of ours (tests, embedding):
 * `CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS`, `CODEX_APP_SERVER_LOGIN_ISSUER`,
 * `CODEX_APP_SERVER_LOGIN_PORT` (read by `runAppServer` from `env`; a bad one is one line and exit 2),
 * `CODEX_APP_SERVER_LOG` (log level on stderr, default `warn`; `appServerLogger`).
 */
import { ConfigError, loadConfig } from "@codex/config";
import { appServerLogger } from "./app-server-logger.js";
import { parseCommandLine } from "./command-line.js";
import { runAppServer } from "./run-app-server.js";

function fail(message: string): never {
  process.stderr.write(`codex-app-server: ${message.split("\n")[0]}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const env = process.env;
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    fail((error as Error).message);
  }
  const logger = appServerLogger(env);
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

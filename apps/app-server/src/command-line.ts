import { AppServerError } from "./app-server-error.js";

/** What `codex-app-server`'s arguments and environment knobs ask for. */
export interface CommandLine {
  /** `-c key=value` / `--config key=value` overrides, in order. */
  readonly overrides: string[];
  /** Options of ours taken from the environment. */
  readonly options: {
    externalRefreshTimeoutMs?: number;
    loginIssuer?: string;
    browserLoginPort?: number;
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new AppServerError("invalid_options", `${name} must be an integer >= ${min}`);
  }
  return value;
}

/**
 * Parses `codex-app-server`'s arguments (`-c key=value`, `--config key=value`, `--config=key=value`)
 * and the environment knobs `CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS`,
 * `CODEX_APP_SERVER_LOGIN_ISSUER` and `CODEX_APP_SERVER_LOGIN_PORT`.
 *
 * @throws {AppServerError} `invalid_options` for an unknown argument or a bad knob.
 * @example
 * parseCommandLine(["-c", 'model="gpt-5"'], {}).overrides; // ['model="gpt-5"']
 */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): CommandLine {
  const overrides: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-c" || arg === "--config") {
      const value = argv[++i];
      if (value === undefined)
        throw new AppServerError("invalid_options", `${arg} needs key=value`);
      overrides.push(value);
    } else if (arg.startsWith("--config=")) {
      overrides.push(arg.slice("--config=".length));
    } else {
      throw new AppServerError("invalid_options", `unknown argument: ${arg.slice(0, 100)}`);
    }
  }
  const options: CommandLine["options"] = {};
  const timeout = integer(env, "CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS", 1);
  if (timeout !== undefined) options.externalRefreshTimeoutMs = timeout;
  const port = integer(env, "CODEX_APP_SERVER_LOGIN_PORT", 0);
  if (port !== undefined) options.browserLoginPort = port;
  const issuer = env.CODEX_APP_SERVER_LOGIN_ISSUER;
  if (issuer !== undefined && issuer !== "") options.loginIssuer = issuer;
  return { overrides, options };
}

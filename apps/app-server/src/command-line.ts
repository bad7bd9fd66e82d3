import { AppServerError } from "./app-server-error.js";

/** What `codex-app-server`'s arguments ask for. */
export interface CommandLine {
  /** `-c key=value` / `--config key=value` overrides, in order. */
  readonly overrides: string[];
}

/**
 * Parses `codex-app-server`'s arguments (`-c key=value`, `--config key=value`, `--config=key=value`).
 * The environment knobs are read by `runAppServer` (./env-knobs.ts) and `appServerLogger`.
 *
 * @throws {AppServerError} `invalid_options` for an unknown argument.
 * @example
 * parseCommandLine(["-c", 'model="gpt-5"']).overrides; // ['model="gpt-5"']
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
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
  return { overrides };
}

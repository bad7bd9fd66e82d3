import { AppServerError } from "./app-server-error.js";

/** The options of `runAppServer` that environment knobs can default. */
export interface EnvKnobOptions {
  readonly externalRefreshTimeoutMs?: number | undefined;
  readonly loginIssuer?: string | undefined;
  readonly browserLoginPort?: number | undefined;
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new AppServerError("invalid_options", `${name} must be an integer ${range}`);
  }
  return value;
}

function issuer(env: NodeJS.ProcessEnv): string | undefined {
  const name = "CODEX_APP_SERVER_LOGIN_ISSUER";
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    protocol = "";
  }
  if (protocol !== "http:" && protocol !== "https:") {
    // the value is not echoed: a malformed URL may still hold credentials
    throw new AppServerError("invalid_options", `${name} must be an http(s) URL`);
  }
  return raw;
}

/**
 * The options given explicitly, each absent one taken from its environment knob:
 * `CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS` (integer ≥ 1), `CODEX_APP_SERVER_LOGIN_ISSUER`
 * (http(s) URL) and `CODEX_APP_SERVER_LOGIN_PORT` (0 … 65535). A knob is read only when its
 * option is absent, so an explicit option wins even over a malformed knob.
 *
 * @throws {AppServerError} `invalid_options` naming the variable of a malformed knob.
 * @example
 * withEnvKnobs({}, { CODEX_APP_SERVER_LOGIN_PORT: "0" }).browserLoginPort; // 0
 */
export function withEnvKnobs(explicit: EnvKnobOptions, env: NodeJS.ProcessEnv): EnvKnobOptions {
  return {
    externalRefreshTimeoutMs:
      explicit.externalRefreshTimeoutMs ??
      integer(env, "CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS", 1),
    loginIssuer: explicit.loginIssuer ?? issuer(env),
    browserLoginPort:
      explicit.browserLoginPort ?? integer(env, "CODEX_APP_SERVER_LOGIN_PORT", 0, 65_535),
  };
}

import { describe, expect, it } from "vitest";
import { parseCommandLine } from "./command-line.js";

describe("parseCommandLine", () => {
  it("collects -c / --config overrides in order and the environment knobs", () => {
    expect(
      parseCommandLine(["-c", 'model="a"', "--config", "x=1", "--config=y=2"], {
        CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS: "250",
        CODEX_APP_SERVER_LOGIN_PORT: "0",
        CODEX_APP_SERVER_LOGIN_ISSUER: "http://127.0.0.1:9",
      }),
    ).toEqual({
      overrides: ['model="a"', "x=1", "y=2"],
      options: {
        externalRefreshTimeoutMs: 250,
        browserLoginPort: 0,
        loginIssuer: "http://127.0.0.1:9",
      },
    });
    expect(parseCommandLine([], {})).toEqual({ overrides: [], options: {} });
  });

  it.each([
    [["-c"], {}, "-c needs key=value"],
    [["--verbose"], {}, "unknown argument: --verbose"],
    [[], { CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS: "0" }, "must be an integer >= 1"],
    [[], { CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS: "1.5" }, "must be an integer >= 1"],
    [[], { CODEX_APP_SERVER_LOGIN_PORT: "-1" }, "must be an integer >= 0"],
  ])("refuses %j %j with a typed error", (argv, env, message) => {
    expect(() => parseCommandLine(argv, env)).toThrowError(
      expect.objectContaining({
        code: "invalid_options",
        message: expect.stringContaining(message),
      }),
    );
  });
});

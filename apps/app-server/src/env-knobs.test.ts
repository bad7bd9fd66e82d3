import { describe, expect, it } from "vitest";
import { withEnvKnobs } from "./env-knobs.js";

describe("withEnvKnobs", () => {
  it("takes each absent option from its knob", () => {
    expect(
      withEnvKnobs(
        {},
        {
          CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS: "250",
          CODEX_APP_SERVER_LOGIN_PORT: "0",
          CODEX_APP_SERVER_LOGIN_ISSUER: "http://127.0.0.1:9",
        },
      ),
    ).toEqual({
      externalRefreshTimeoutMs: 250,
      browserLoginPort: 0,
      loginIssuer: "http://127.0.0.1:9",
    });
    expect(withEnvKnobs({}, {})).toEqual({
      externalRefreshTimeoutMs: undefined,
      browserLoginPort: undefined,
      loginIssuer: undefined,
    });
    expect(withEnvKnobs({}, { CODEX_APP_SERVER_LOGIN_PORT: "" })).toMatchObject({
      browserLoginPort: undefined,
    });
  });

  it("lets explicit options win, even over a malformed knob", () => {
    expect(
      withEnvKnobs(
        { externalRefreshTimeoutMs: 5, browserLoginPort: 1455, loginIssuer: "https://a.example" },
        {
          CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS: "x",
          CODEX_APP_SERVER_LOGIN_PORT: "-1",
          CODEX_APP_SERVER_LOGIN_ISSUER: "not a url",
        },
      ),
    ).toEqual({
      externalRefreshTimeoutMs: 5,
      browserLoginPort: 1455,
      loginIssuer: "https://a.example",
    });
  });

  it.each([
    [{ CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS: "0" }, "TIMEOUT_MS must be an integer >= 1"],
    [{ CODEX_APP_SERVER_AUTH_REFRESH_TIMEOUT_MS: "1.5" }, "TIMEOUT_MS must be an integer >= 1"],
    [{ CODEX_APP_SERVER_LOGIN_PORT: "-1" }, "PORT must be an integer from 0 to 65535"],
    [{ CODEX_APP_SERVER_LOGIN_PORT: "65536" }, "PORT must be an integer from 0 to 65535"],
    [{ CODEX_APP_SERVER_LOGIN_ISSUER: "auth.example" }, "ISSUER must be an http(s) URL"],
    [{ CODEX_APP_SERVER_LOGIN_ISSUER: "file:///etc" }, "ISSUER must be an http(s) URL"],
  ])("refuses %j with a typed error naming the variable, not its value", (env, message) => {
    expect(() => withEnvKnobs({}, env)).toThrowError(
      expect.objectContaining({
        name: "AppServerError",
        code: "invalid_options",
        message: expect.stringContaining(message),
      }),
    );
    const value = Object.values(env)[0] as string;
    expect(() => withEnvKnobs({}, env)).toThrowError(
      expect.objectContaining({ message: expect.not.stringContaining(value) }),
    );
  });
});

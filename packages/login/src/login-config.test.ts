import { createHttpClient } from "@codex/http";
import { describe, expect, it } from "vitest";
import { makeCodexHome } from "../test/support/tmp.js";
import { isLoginError, LoginError } from "./errors.js";
import { type AuthManagerOptions, resolveLoginConfig } from "./login-config.js";
import { CLIENT_ID } from "./token-endpoint.js";

function errorOf(run: () => unknown): LoginError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(LoginError);
    return err as LoginError;
  }
  throw new Error("expected a LoginError");
}

describe("resolveLoginConfig", () => {
  it.each([
    ["missing", {}],
    ["empty", { codexHome: "" }],
    ["a number", { codexHome: 5 }],
    ["null", { codexHome: null }],
  ])("a %s codexHome is invalid_codex_home, with one message", (_name, options) => {
    const err = errorOf(() => resolveLoginConfig(options as unknown as AuthManagerOptions));
    expect(err.code).toBe("invalid_codex_home");
    expect(err.message).toBe("codexHome must be a non-empty path");
  });

  it.each([
    ["no options", undefined],
    ["options not an object", "home"],
    ["unknown store mode", { codexHome: "/tmp/h", storeMode: "cloud" }],
    ["a store without save", { codexHome: "/tmp/h", storage: { mode: "file", load() {} } }],
    ["a bad issuer", { codexHome: "/tmp/h", issuer: "ftp://issuer.test" }],
    ["an issuer that is no URL", { codexHome: "/tmp/h", issuer: "not a url" }],
    ["an empty client id", { codexHome: "/tmp/h", clientId: "" }],
    ["an empty originator", { codexHome: "/tmp/h", originator: "" }],
    ["an empty refresh URL", { codexHome: "/tmp/h", refreshTokenUrl: "" }],
    ["a zero refresh timeout", { codexHome: "/tmp/h", refreshTimeoutMs: 0 }],
    ["an infinite host timeout", { codexHome: "/tmp/h", externalRefreshTimeoutMs: Infinity }],
    ["a clock that is a Date", { codexHome: "/tmp/h", now: new Date() }],
    ["a bad forced method", { codexHome: "/tmp/h", forcedLoginMethod: "sso" }],
    ["env that is not an object", { codexHome: "/tmp/h", env: "A=1" }],
    ["a zero keyring timeout", { codexHome: "/tmp/h", storeMode: "keyring", keyringTimeoutMs: 0 }],
  ])("%s is invalid_argument", (_name, options) => {
    const err = errorOf(() => resolveLoginConfig(options as unknown as AuthManagerOptions));
    expect(isLoginError(err, "invalid_argument")).toBe(true);
  });

  it("resolves every default once", () => {
    const codexHome = makeCodexHome();
    const config = resolveLoginConfig({ codexHome, env: {} });
    expect(config.codexHome).toBe(codexHome);
    expect(config.storeMode).toBe("file");
    expect(config.storage.mode).toBe("file");
    expect(config.issuer).toBe("https://auth.openai.com");
    expect(config.clientId).toBe(CLIENT_ID);
    expect(config.originator).toBe("codex_cli_rs");
    expect(config.refreshTokenUrl()).toBe("https://auth.openai.com/oauth/token");
    expect(config.externalRefreshTimeoutMs).toBe(10_000);
    expect(config.storage.withLock).toBeTypeOf("function");
    expect(config.enableCodexApiKeyEnv).toBe(false);
    expect(config.now()).toBeInstanceOf(Date);
    // the default HTTP client is built once, on first use
    expect(config.http("refresh_failed")).toBe(config.http("revoke_failed"));
  });

  it("keeps what the user gave: issuer without trailing slashes, client, store, HTTP client", () => {
    const storage = {
      mode: "ephemeral" as const,
      load: async () => undefined,
      save: async () => {},
      delete: async () => false,
    };
    const http = createHttpClient();
    const config = resolveLoginConfig({
      codexHome: "/tmp/h",
      issuer: "http://127.0.0.1:9/",
      clientId: "app_test",
      originator: "codex_vscode",
      storage,
      http,
      env: {},
    });
    expect(config.issuer).toBe("http://127.0.0.1:9");
    expect(config.clientId).toBe("app_test");
    expect(config.originator).toBe("codex_vscode");
    expect(config.storage).toBe(storage);
    expect(config.storeMode).toBe("ephemeral");
    expect(config.http("refresh_failed")).toBe(http);
    expect(config.refreshTokenUrl()).toBe("http://127.0.0.1:9/oauth/token");
  });

  it("reads the refresh URL override from env at each refresh; an explicit URL wins", () => {
    const env: Record<string, string | undefined> = {};
    const config = resolveLoginConfig({ codexHome: "/tmp/h", env });
    env.CODEX_REFRESH_TOKEN_URL_OVERRIDE = "http://127.0.0.1:9/refresh";
    expect(config.refreshTokenUrl()).toBe("http://127.0.0.1:9/refresh");
    const explicit = resolveLoginConfig({
      codexHome: "/tmp/h",
      env,
      refreshTokenUrl: "http://x.test/t",
    });
    expect(explicit.refreshTokenUrl()).toBe("http://x.test/t");
  });
});

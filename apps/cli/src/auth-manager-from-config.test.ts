import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@codex/config";
import { afterEach, describe, expect, it } from "vitest";
import { authManagerOptions, createAuthManagerFromConfig } from "./auth-manager-from-config.js";
import type { CliConfig } from "./config.js";

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), "auth-from-config-"));
  homes.push(home);
  return home;
}

const defaults: CliConfig = {
  codexHome: "/home/u/.codex",
  cliAuthCredentialsStore: "file",
  forcedLoginMethod: undefined,
  forcedChatgptWorkspaceId: undefined,
  chatgptBaseUrl: "https://chatgpt.com/backend-api/",
  full: undefined,
};

describe("authManagerOptions", () => {
  it("maps a CliConfig of defaults, with the backend off", () => {
    const env = { CODEX_API_KEY: "k" };
    expect(authManagerOptions(defaults, { env, enableCodexApiKeyEnv: false })).toEqual({
      codexHome: "/home/u/.codex",
      storeMode: "file",
      env,
      enableCodexApiKeyEnv: false,
      forcedChatgptWorkspaceId: undefined,
      forcedLoginMethod: undefined,
      chatgptBackend: {
        baseUrl: "https://chatgpt.com/backend-api/",
        mode: "disabled",
        extraAllowedHosts: [],
      },
    });
  });

  it("maps a full CodexConfig, directly or behind a CliConfig, the same way", async () => {
    const home = tempHome();
    const full = await loadConfig({
      codexHome: home,
      env: {},
      overrides: [
        'cli_auth_credentials_store="keyring"',
        'forced_login_method="chatgpt"',
        'forced_chatgpt_workspace_id="ws-1"',
        'chatgpt_base_url="http://127.0.0.1:9/backend-api/"',
        "features.use_agent_identity=true",
        'agent_identity_allowed_hosts=["127.0.0.1"]',
      ],
    });
    const view: CliConfig = {
      codexHome: full.codexHome,
      cliAuthCredentialsStore: full.cliAuthCredentialsStore,
      forcedLoginMethod: full.forcedLoginMethod,
      forcedChatgptWorkspaceId: full.forcedChatgptWorkspaceId,
      chatgptBaseUrl: full.chatgptBaseUrl,
      full,
    };
    const extras = { env: {}, enableCodexApiKeyEnv: true };
    const expected = {
      codexHome: home,
      storeMode: "keyring",
      env: {},
      enableCodexApiKeyEnv: true,
      forcedChatgptWorkspaceId: "ws-1",
      forcedLoginMethod: "chatgpt",
      chatgptBackend: {
        baseUrl: "http://127.0.0.1:9/backend-api/",
        mode: "enabled",
        extraAllowedHosts: ["127.0.0.1"],
      },
    };
    expect(authManagerOptions(full, extras)).toEqual(expected);
    expect(authManagerOptions(view, extras)).toEqual(expected);
  });

  it("adds only the extras a caller gives", () => {
    const options = authManagerOptions(defaults, {
      env: {},
      enableCodexApiKeyEnv: false,
      originator: "codex_cli_rs",
      issuer: "http://127.0.0.1:9",
      clientId: undefined,
    });
    expect(options).toMatchObject({ originator: "codex_cli_rs", issuer: "http://127.0.0.1:9" });
    expect(Object.hasOwn(options, "clientId")).toBe(false);
  });
});

it("createAuthManagerFromConfig builds a manager with those options", async () => {
  const home = tempHome();
  const manager = await createAuthManagerFromConfig(
    { ...defaults, codexHome: home },
    { env: { CODEX_API_KEY: "sk-env-abcdefghijk12345" }, enableCodexApiKeyEnv: true },
  );
  expect(manager.storeMode).toBe("file");
  expect(manager.chatgptBackend).toEqual({
    baseUrl: "https://chatgpt.com/backend-api/",
    mode: "disabled",
    extraAllowedHosts: [],
  });
  expect(manager.authCached()?.apiAuthMode).toBe("apikey");
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { memoryContext } from "../test/support/memory-context.js";
import { CliError } from "./cli-error.js";
import { loadCliConfig, loadCodexConfig } from "./config.js";

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "codex-cli-config-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

it("uses the defaults with no config.toml and no override (without loading @codex/config)", async () => {
  const config = await loadCliConfig(memoryContext({ CODEX_HOME: home }), []);
  expect(config).toEqual({
    codexHome: home,
    cliAuthCredentialsStore: "file",
    forcedLoginMethod: undefined,
    forcedChatgptWorkspaceId: undefined,
    chatgptBaseUrl: "https://chatgpt.com/backend-api/",
    full: undefined,
  });
});

it("reads config.toml and applies -c overrides in order", async () => {
  await writeFile(
    join(home, "config.toml"),
    'forced_login_method = "api"\ncli_auth_credentials_store = "keyring"\n',
  );
  const config = await loadCliConfig(memoryContext({ CODEX_HOME: home }), [
    'forced_login_method="chatgpt"',
    "cli_auth_credentials_store=auto",
  ]);
  expect(config.forcedLoginMethod).toBe("chatgpt");
  expect(config.cliAuthCredentialsStore).toBe("auto");
  expect(config.full?.configFile).toBe(join(home, "config.toml"));
});

it("warns about an unknown key on stderr", async () => {
  const ctx = memoryContext({ CODEX_HOME: home });
  await loadCodexConfig(ctx, ["no_such_key=1"]);
  expect(ctx.err()).toBe("warning: unknown config key no_such_key (-c) is ignored\n");
});

it.each([
  ["a bad TOML file", "model = \n", [], /^Error loading configuration: .*config\.toml:1:/],
  ["a malformed override", undefined, ["novalue"], /^Error parsing -c overrides: /],
  [
    "a wrong-typed value",
    undefined,
    ["cli_auth_credentials_store=5"],
    /^Error loading configuration: /,
  ],
] as const)("%s is a one-line config CliError", async (_name, file, overrides, message) => {
  if (file !== undefined) await writeFile(join(home, "config.toml"), file);
  const err = await loadCliConfig(memoryContext({ CODEX_HOME: home }), overrides).catch(
    (e: unknown) => e,
  );
  expect(CliError.is(err)).toBe(true);
  expect((err as CliError).code).toBe("config");
  expect((err as CliError).message).toMatch(message);
  expect((err as CliError).message).not.toContain("\n");
});

it("a CODEX_HOME that does not exist is upstream's error", async () => {
  const missing = join(home, "nope");
  await expect(loadCliConfig(memoryContext({ CODEX_HOME: missing }), [])).rejects.toThrow(
    `Error loading configuration: CODEX_HOME points to "${missing}", but that path does not exist`,
  );
});

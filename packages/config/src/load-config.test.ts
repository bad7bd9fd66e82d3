import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { captureLogger } from "@codex/wire/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "./config-error.js";
import { loadConfig } from "./load-config.js";

let home: string;

beforeEach(() => {
  home = realpathSync(mkdtempSync(join(tmpdir(), "codex-config-")));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function write(text: string): string {
  const file = join(home, "config.toml");
  writeFileSync(file, text);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (e) {
    if (ConfigError.is(e)) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

const DEMO = `
chatgpt_base_url = "http://127.0.0.1:5000/backend-api"
model = "gpt-demo"
model_provider = "demo"

[model_providers.demo]
name = "demo"
base_url = "http://127.0.0.1:5000/backend-api/codex"
wire_api = "responses"
requires_openai_auth = true
supports_websockets = false
request_max_retries = 0
stream_max_retries = 0
`;

describe("loadConfig: defaults and the file", () => {
  it("a missing config.toml gives the defaults", async () => {
    const config = await loadConfig({ codexHome: home, env: {} });
    expect(config).toMatchObject({
      codexHome: home,
      configFile: join(home, "config.toml"),
      model: undefined,
      modelProviderId: "openai",
      chatgptBaseUrl: "https://chatgpt.com/backend-api/",
      openaiBaseUrl: undefined,
      cliAuthCredentialsStore: "file",
      forcedChatgptWorkspaceId: undefined,
      forcedLoginMethod: undefined,
      features: { useAgentIdentity: false },
      agentIdentityAllowedHosts: [],
      attestationTimeoutMs: 1000,
      modelReasoningEffort: undefined,
      table: {},
    });
    expect(config.modelProvider).toEqual({
      name: "OpenAI",
      envHttpHeaders: {
        "OpenAI-Organization": "OPENAI_ORGANIZATION",
        "OpenAI-Project": "OPENAI_PROJECT",
      },
      requiresOpenaiAuth: true,
      supportsWebsockets: true,
      wireApi: "responses",
    });
    expect(Object.keys(config.modelProviders).sort()).toEqual(["lmstudio", "ollama", "openai"]);
  });

  it("a missing Codex home is fine too", async () => {
    const config = await loadConfig({ codexHome: join(home, "nope"), env: {} });
    expect(config.modelProviderId).toBe("openai");
  });

  it("reads upstream's keys (the 0.169 demo config)", async () => {
    write(DEMO);
    const config = await loadConfig({ codexHome: home, env: {} });
    expect(config.model).toBe("gpt-demo");
    expect(config.chatgptBaseUrl).toBe("http://127.0.0.1:5000/backend-api");
    expect(config.modelProviderId).toBe("demo");
    expect(config.modelProvider).toEqual({
      name: "demo",
      baseUrl: "http://127.0.0.1:5000/backend-api/codex",
      wireApi: "responses",
      requiresOpenaiAuth: true,
      supportsWebsockets: false,
      requestMaxRetries: 0,
      streamMaxRetries: 0,
    });
    expect(config.modelProviders.demo).toBe(config.modelProvider);
    expect(config.modelProviders.openai?.name).toBe("OpenAI");
  });

  it("maps every modelled key", async () => {
    write(`
openai_base_url = "http://127.0.0.1:9/v1"
cli_auth_credentials_store = "keyring"
forced_chatgpt_workspace_id = "ws-1"
forced_login_method = "chatgpt"
model_reasoning_effort = "high"
agent_identity_allowed_hosts = ["127.0.0.1", "localhost"]
attestation_timeout_ms = 250
sandbox_mode = "read-only"
[features]
use_agent_identity = true
some_other_feature = false
[model_providers.full]
name = "Full"
base_url = "https://example.test/v1"
env_key = "FULL_KEY"
env_key_instructions = "export FULL_KEY"
experimental_bearer_token = "tok"
query_params = { api-version = "1" }
http_headers = { "X-A" = "a" }
env_http_headers = { "X-B" = "B_VAR" }
request_max_retries = 1
stream_max_retries = 2
stream_idle_timeout_ms = 3000
websocket_connect_timeout_ms = 4000
`);
    const config = await loadConfig({ codexHome: home, env: {} });
    expect(config).toMatchObject({
      openaiBaseUrl: "http://127.0.0.1:9/v1",
      cliAuthCredentialsStore: "keyring",
      forcedChatgptWorkspaceId: "ws-1",
      forcedLoginMethod: "chatgpt",
      modelReasoningEffort: "high",
      agentIdentityAllowedHosts: ["127.0.0.1", "localhost"],
      attestationTimeoutMs: 250,
      features: { useAgentIdentity: true },
    });
    expect(config.modelProviders.openai?.baseUrl).toBe("http://127.0.0.1:9/v1");
    expect(config.modelProviders.full).toEqual({
      name: "Full",
      baseUrl: "https://example.test/v1",
      envKey: "FULL_KEY",
      envKeyInstructions: "export FULL_KEY",
      experimentalBearerToken: "tok",
      queryParams: { "api-version": "1" },
      httpHeaders: { "X-A": "a" },
      envHttpHeaders: { "X-B": "B_VAR" },
      requestMaxRetries: 1,
      streamMaxRetries: 2,
      streamIdleTimeoutMs: 3000,
      websocketConnectTimeoutMs: 4000,
      requiresOpenaiAuth: false,
      supportsWebsockets: false,
      wireApi: "responses",
    });
    expect(config.table.sandbox_mode).toBe("read-only");
  });

  it("built-in oss providers follow CODEX_OSS_BASE_URL / CODEX_OSS_PORT", async () => {
    const plain = await loadConfig({ codexHome: home, env: {} });
    expect(plain.modelProviders.ollama).toEqual({
      name: "gpt-oss",
      baseUrl: "http://localhost:11434/v1",
      requiresOpenaiAuth: false,
      supportsWebsockets: false,
      wireApi: "responses",
    });
    expect(plain.modelProviders.lmstudio?.baseUrl).toBe("http://localhost:1234/v1");
    const port = await loadConfig({ codexHome: home, env: { CODEX_OSS_PORT: "9999" } });
    expect(port.modelProviders.ollama?.baseUrl).toBe("http://localhost:9999/v1");
    const base = await loadConfig({
      codexHome: home,
      env: { CODEX_OSS_BASE_URL: "http://127.0.0.1:7/v1" },
    });
    expect(base.modelProviders.lmstudio?.baseUrl).toBe("http://127.0.0.1:7/v1");
    write('model_provider = "ollama"');
    expect((await loadConfig({ codexHome: home, env: {} })).modelProvider.name).toBe("gpt-oss");
  });
});

describe("loadConfig: the Codex home", () => {
  it("uses CODEX_HOME (canonical) when set", async () => {
    write('model = "from-env-home"');
    const config = await loadConfig({ env: { CODEX_HOME: home } });
    expect(config.codexHome).toBe(home);
    expect(config.model).toBe("from-env-home");
  });

  it("falls back to ~/.codex", async () => {
    vi.stubEnv("HOME", home);
    try {
      mkdirSync(join(home, ".codex"));
      writeFileSync(join(home, ".codex", "config.toml"), 'model = "from-home"');
      const config = await loadConfig({ env: {} });
      expect(config.codexHome).toBe(join(homedir(), ".codex"));
      expect(config.codexHome).toBe(join(home, ".codex"));
      expect(config.model).toBe("from-home");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it.each([
    ["a missing CODEX_HOME", () => join(home, "missing"), "does not exist"],
    ["a CODEX_HOME that is a file", () => write(""), "not a directory"],
  ])("rejects %s", async (_name, path, text) => {
    const err = await failure(loadConfig({ env: { CODEX_HOME: path() } }));
    expect(err.code).toBe("unreadable");
    expect(err.key).toBe("CODEX_HOME");
    expect(err.message).toContain(text);
  });
});

describe("loadConfig: -c overrides", () => {
  it("apply in order over the file", async () => {
    write(DEMO);
    const config = await loadConfig({
      codexHome: home,
      env: {},
      overrides: [
        "model=first",
        "model=gpt-5",
        "model_providers.demo.base_url=http://127.0.0.1:6000/v1",
        "model_providers.demo.request_max_retries=3",
        "features.use_agent_identity=true",
        'agent_identity_allowed_hosts=["127.0.0.1"]',
      ],
    });
    expect(config.model).toBe("gpt-5");
    expect(config.modelProvider.baseUrl).toBe("http://127.0.0.1:6000/v1");
    expect(config.modelProvider.requestMaxRetries).toBe(3);
    expect(config.modelProvider.name).toBe("demo");
    expect(config.features.useAgentIdentity).toBe(true);
    expect(config.agentIdentityAllowedHosts).toEqual(["127.0.0.1"]);
    expect(config.table.model).toBe("gpt-5");
  });

  it("can define a whole provider and select it", async () => {
    const config = await loadConfig({
      codexHome: home,
      env: {},
      overrides: [
        "model_providers.mine.name=Mine",
        "model_providers.mine.base_url=http://127.0.0.1:1/v1",
        "model_provider=mine",
      ],
    });
    expect(config.modelProvider).toMatchObject({ name: "Mine", baseUrl: "http://127.0.0.1:1/v1" });
  });

  it("a value that is not TOML is a plain string (upstream)", async () => {
    const config = await loadConfig({ codexHome: home, env: {}, overrides: ["model=o3-mini"] });
    expect(config.model).toBe("o3-mini");
  });
});

const SECRET = "sk-live-do-not-print";

describe("loadConfig: bad input", () => {
  it.each([
    ["an unterminated string", 'model = "gpt\n', 1, "model"],
    ["a duplicate key", 'model = "a"\nmodel = "b"\n', 2, "model"],
    ["a duplicate table", "[features]\n[features]\n", 2, "features"],
    [
      "garbage after a value",
      `[model_providers.x]\nexperimental_bearer_token = "${SECRET}" x\n`,
      2,
      "model_providers.x.experimental_bearer_token",
    ],
    ["a bare word", "model = gpt\n", 1, "model"],
  ])("invalid_toml: %s", async (_name, text, line, key) => {
    const file = write(text);
    const err = await failure(loadConfig({ codexHome: home, env: {} }));
    expect(err.code).toBe("invalid_toml");
    expect(err.file).toBe(file);
    expect(err.line).toBe(line);
    expect(err.key).toBe(key);
    expect(err.message).toContain(`${file}:${line}:`);
    expect(err.message).not.toContain(SECRET);
  });

  it("invalid_toml: not UTF-8", async () => {
    writeFileSync(join(home, "config.toml"), Buffer.from([0x6d, 0x3d, 0xff, 0xfe]));
    const err = await failure(loadConfig({ codexHome: home, env: {} }));
    expect(err.code).toBe("invalid_toml");
  });

  it.each([
    ["model = 5", 1, "model"],
    ['model = ""', 1, "model"],
    ["model_provider = true", 1, "model_provider"],
    ['chatgpt_base_url = "not a url"', 1, "chatgpt_base_url"],
    ['openai_base_url = "ftp://x"', 1, "openai_base_url"],
    ['cli_auth_credentials_store = "vault"', 1, "cli_auth_credentials_store"],
    ['forced_login_method = "password"', 1, "forced_login_method"],
    ['model_reasoning_effort = "max"', 1, "model_reasoning_effort"],
    ["forced_chatgpt_workspace_id = 1979-05-27", 1, "forced_chatgpt_workspace_id"],
    ['[features]\nuse_agent_identity = "yes"', 2, "features.use_agent_identity"],
    ['agent_identity_allowed_hosts = "127.0.0.1"', 1, "agent_identity_allowed_hosts"],
    ["agent_identity_allowed_hosts = [1]", 1, "agent_identity_allowed_hosts.0"],
    ["attestation_timeout_ms = 0", 1, "attestation_timeout_ms"],
    ["attestation_timeout_ms = 1.5", 1, "attestation_timeout_ms"],
    ["model_providers = 1", 1, "model_providers"],
    ['[model_providers.x]\nbase_url = "http://h"', 1, "model_providers.x.name"],
    ['[model_providers.x]\nname = " "', 2, "model_providers.x.name"],
    ['[model_providers.x]\nname = "x"\nwire_api = "chat"', 3, "model_providers.x.wire_api"],
    ['[model_providers.x]\nname = "x"\nwire_api = "grpc"', 3, "model_providers.x.wire_api"],
    ['[model_providers.x]\nname = "x"\nbase_url = "127.0.0.1:80"', 3, "model_providers.x.base_url"],
    ['[model_providers.x]\nname = "x"\nenv_key = ""', 3, "model_providers.x.env_key"],
    [
      '[model_providers.x]\nname = "x"\nrequest_max_retries = -1',
      3,
      "model_providers.x.request_max_retries",
    ],
    [
      '[model_providers.x]\nname = "x"\nstream_idle_timeout_ms = "5s"',
      3,
      "model_providers.x.stream_idle_timeout_ms",
    ],
    [
      '[model_providers.x]\nname = "x"\nrequires_openai_auth = "true"',
      3,
      "model_providers.x.requires_openai_auth",
    ],
    [
      `[model_providers.x]\nname = "x"\nhttp_headers = { "X-Key" = 1, "X-Secret" = "${SECRET}" }`,
      3,
      "model_providers.x.http_headers.X-Key",
    ],
    [
      `[model_providers.x]\nname = "x"\nexperimental_bearer_token = 42`,
      3,
      "model_providers.x.experimental_bearer_token",
    ],
    ['[model_providers.openai]\nname = "mine"', 1, "model_providers.openai"],
    ['[model_providers.ollama]\nname = "mine"', 1, "model_providers.ollama"],
  ])("invalid_value: %j", async (text, line, key) => {
    const file = write(text);
    const err = await failure(loadConfig({ codexHome: home, env: {} }));
    expect(err.code).toBe("invalid_value");
    expect(err.file).toBe(file);
    expect(err.line).toBe(line);
    expect(err.key).toBe(key);
    expect(err.message).toContain(`${file}:${line}: `);
    expect(err.message).toContain(key);
    expect(err.message).not.toContain(SECRET);
  });

  it("wire_api = chat gets upstream's message", async () => {
    write('[model_providers.x]\nname = "x"\nwire_api = "chat"');
    const err = await failure(loadConfig({ codexHome: home, env: {} }));
    expect(err.message).toContain('`wire_api = "chat"` is no longer supported');
  });

  it.each([
    [["model=5"], "model"],
    [["model_providers.x.name=x", "model_providers.x.wire_api=chat"], "model_providers.x.wire_api"],
    [["attestation_timeout_ms=-5"], "attestation_timeout_ms"],
    [[`model_providers.x.experimental_bearer_token=${SECRET}`], "model_providers.x.name"],
  ])("invalid_value from -c %j", async (overrides, key) => {
    const err = await failure(loadConfig({ codexHome: home, env: {}, overrides }));
    expect(err.code).toBe("invalid_value");
    expect(err.file).toBe("-c");
    expect(err.line).toBeUndefined();
    expect(err.key).toBe(key);
    expect(err.message).toMatch(/^-c: /);
    expect(err.message).not.toContain(SECRET);
  });

  it("a -c value fixes a bad file value (merged first, validated after, as upstream)", async () => {
    write("model = 5");
    const config = await loadConfig({ codexHome: home, env: {}, overrides: ["model=ok"] });
    expect(config.model).toBe("ok");
  });

  it.each([["missing-equals"], ["=x"], ["a..b=1"]])("invalid_override: %j", async (raw) => {
    write(DEMO);
    const err = await failure(
      loadConfig({ codexHome: home, env: {}, overrides: ["model=x", raw] }),
    );
    expect(err.code).toBe("invalid_override");
    expect(err.file).toBe("-c");
    expect(err.message).toContain("#2");
  });

  it.each([
    ['model_provider = "nope"', "file", 1],
    ["", "-c", undefined],
  ])("unknown_provider (%j)", async (text, from, line) => {
    const file = write(text);
    const overrides = from === "-c" ? ["model_provider=nope"] : [];
    const err = await failure(loadConfig({ codexHome: home, env: {}, overrides }));
    expect(err.code).toBe("unknown_provider");
    expect(err.key).toBe("model_provider");
    expect(err.file).toBe(from === "-c" ? "-c" : file);
    expect(err.line).toBe(line);
    expect(err.message).toContain('"nope"');
    expect(err.message).toContain("lmstudio, ollama, openai");
  });

  it("unreadable: config.toml is a directory", async () => {
    mkdirSync(join(home, "config.toml"));
    const err = await failure(loadConfig({ codexHome: home, env: {} }));
    expect(err.code).toBe("unreadable");
    expect(err.file).toBe(join(home, "config.toml"));
  });
});

describe("loadConfig: unknown keys", () => {
  it("are warned once each, never fatal; upstream keys we ignore are silent", async () => {
    write(`
model = "m"
mystery = 1
sandbox_mode = "read-only"
approval_policy = "never"
[mcp_servers.docs]
command = "x"
[profiles.fast]
model = "o3"
[model_providers.demo]
name = "demo"
colour = "blue"
auth = { command = "x" }
[tui]
anything = true
[also_unknown]
x = 1
`);
    const { logger, records } = captureLogger();
    const config = await loadConfig({
      codexHome: home,
      env: {},
      logger,
      overrides: ["mystery=2", "model_providers.demo.colour=red", "cli_unknown=1"],
    });
    expect(config.model).toBe("m");
    const warnings = records.filter((r) => r.level === "warn");
    expect(warnings.map((r) => r.fields?.configKey).sort()).toEqual([
      "also_unknown",
      "cli_unknown",
      "model_providers.demo.colour",
      "mystery",
    ]);
    const byKey = (k: string) => warnings.find((r) => r.fields?.configKey === k)?.msg ?? "";
    expect(byKey("cli_unknown")).toContain("(-c)");
    expect(byKey("also_unknown")).toContain(`config.toml:16`);
  });
});

describe("loadConfig: profiles", () => {
  const file = `
model = "root-model"
model_reasoning_effort = "low"
profile = "fast"
[features]
use_agent_identity = true
[profiles.fast]
model = "o3"
[profiles.deep]
model_reasoning_effort = "high"
model_provider = "ollama"
[profiles.deep.features]
use_agent_identity = false
`;

  it("applies the file's profile key over the root keys", async () => {
    write(file);
    const config = await loadConfig({ codexHome: home, env: {} });
    expect(config.profile).toBe("fast");
    expect(config.model).toBe("o3");
    expect(config.modelReasoningEffort).toBe("low");
    expect(config.features.useAgentIdentity).toBe(true);
  });

  it("--profile wins over the file's key; features merge key by key", async () => {
    write(file);
    const config = await loadConfig({ codexHome: home, env: {}, profile: "deep" });
    expect(config.profile).toBe("deep");
    expect(config.model).toBe("root-model");
    expect(config.modelReasoningEffort).toBe("high");
    expect(config.modelProviderId).toBe("ollama");
    expect(config.features.useAgentIdentity).toBe(false);
  });

  it("without a profile the root keys stand", async () => {
    write('model = "root-model"\n[profiles.fast]\nmodel = "o3"\n');
    const config = await loadConfig({ codexHome: home, env: {} });
    expect(config.profile).toBeUndefined();
    expect(config.model).toBe("root-model");
  });

  it("an unknown profile is a typed error naming where it was asked for", async () => {
    const path = write('profile = "nope"\n[profiles.fast]\nmodel = "o3"\n');
    const fromFile = await failure(loadConfig({ codexHome: home, env: {} }));
    expect(fromFile.code).toBe("unknown_profile");
    expect(fromFile).toMatchObject({ file: path, line: 1, key: "profile" });
    expect(fromFile.message).toContain("(known: fast)");
    const fromFlag = await failure(loadConfig({ codexHome: home, env: {}, profile: "other" }));
    expect(fromFlag).toMatchObject({ code: "unknown_profile", file: "--profile" });
  });

  it("a bad value inside a profile names its line and dotted key", async () => {
    const path = write('[profiles.fast]\nmodel_reasoning_effort = "extreme"\n');
    const err = await failure(loadConfig({ codexHome: home, env: {}, profile: "fast" }));
    expect(err).toMatchObject({
      code: "invalid_value",
      file: path,
      line: 2,
      key: "profiles.fast.model_reasoning_effort",
    });
  });
});

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Logger, silentLogger } from "@codex/wire";
import { parse, TomlError } from "smol-toml";
import type { CodexConfig, LoadConfigOptions, ModelProviderConfig } from "./codex-config.js";
import { ConfigError } from "./config-error.js";
import { applyCliOverride, isTable, parseCliOverride } from "./internal/cli-overrides.js";
import { resolveCodexHome } from "./internal/codex-home.js";
import { type ConfigToml, configSchema } from "./internal/config-schema.js";
import { findKeyEntry, type KeyLine, keyAtLine, scanKeyLines } from "./internal/key-lines.js";
import {
  IGNORED_PROVIDER_KEYS,
  IGNORED_UPSTREAM_KEYS,
  MODELLED_KEYS,
  PROVIDER_KEYS,
} from "./internal/known-keys.js";
import {
  builtInProviders,
  OPENAI_PROVIDER_ID,
  providerFromToml,
  RESERVED_PROVIDER_IDS,
} from "./internal/model-providers.js";

/** The name of the configuration file inside the Codex home (upstream `CONFIG_TOML_FILE`). */
export const CONFIG_TOML_FILE = "config.toml";
/** Default `chatgpt_base_url` (upstream's). */
export const DEFAULT_CHATGPT_BASE_URL = "https://chatgpt.com/backend-api/";
/** Default `attestation_timeout_ms`. */
export const DEFAULT_ATTESTATION_TIMEOUT_MS = 1000;

/** Where a dotted key came from: the file (with its line) or a `-c` override. */
interface Origin {
  readonly file: string;
  readonly line?: number;
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

function commonPrefix(a: readonly PropertyKey[], b: readonly PropertyKey[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function isPrefix(prefix: readonly PropertyKey[], path: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((part, i) => part === path[i]);
}

/**
 * Loads `<codexHome>/config.toml` (a missing file means defaults), applies the `-c` overrides in
 * order, warns once about each unknown key and validates the modelled keys.
 *
 * @throws {ConfigError} `unreadable`, `invalid_toml`, `invalid_value`, `invalid_override`,
 *   `unknown_provider`. Messages name the file (or `-c`), line and key, never a value.
 * @example
 * ```ts
 * const config = await loadConfig({ overrides: ["model=gpt-5"] });
 * config.modelProvider.baseUrl; // undefined for the built-in openai provider
 * ```
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<CodexConfig> {
  const env = options.env ?? process.env;
  const logger: Logger = options.logger ?? silentLogger;
  const codexHome = resolveCodexHome(options.codexHome, env);
  const configFile = join(codexHome, CONFIG_TOML_FILE);
  const overrides = (options.overrides ?? []).map((raw, i) => parseCliOverride(raw, i));

  const source = await readSource(configFile);
  const keyLines = source === undefined ? [] : scanKeyLines(source);
  const table = source === undefined ? {} : parseToml(source, configFile, keyLines);
  for (const override of overrides) applyCliOverride(table, override.path, override.value);

  // Which input a problem at `path` comes from: an override that replaced that subtree, else the
  // file if it defines the path (or its deepest defined part), unless an override shares a longer
  // part of the path (it created the table the problem is in).
  const origin = (path: readonly PropertyKey[]): Origin => {
    if (overrides.some((o) => isPrefix(o.path, path))) return { file: "-c" };
    const entry = findKeyEntry(
      keyLines,
      path.map((p) => String(p)),
    );
    const overrideDepth = Math.max(0, ...overrides.map((o) => commonPrefix(o.path, path)));
    if (overrideDepth > (entry?.path.length ?? 0)) return { file: "-c" };
    return entry === undefined ? { file: configFile } : { file: configFile, line: entry.line };
  };
  const where = (o: Origin): string => (o.line === undefined ? o.file : `${o.file}:${o.line}`);

  warnUnknownKeys(table, logger, (path) => where(origin(path)));

  const parsed = configSchema.safeParse(table);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const at = origin(path);
    const key = dotted(path);
    throw new ConfigError(
      "invalid_value",
      `${where(at)}: invalid value for ${key === "" ? "the configuration" : key}: ${issue?.message ?? "invalid"}`,
      { ...at, ...(key === "" ? {} : { key }) },
    );
  }
  const toml = withProfile(parsed.data, options.profile, origin);

  const userProviders = toml.model_providers ?? {};
  for (const id of Object.keys(userProviders).sort()) {
    if (!RESERVED_PROVIDER_IDS.includes(id)) continue;
    const path = ["model_providers", id];
    const at = origin(path);
    throw new ConfigError(
      "invalid_value",
      `${where(at)}: invalid value for ${dotted(path)}: \`${id}\` is a reserved built-in provider id. ` +
        "Built-in providers cannot be overridden. Rename your custom provider (for example, " +
        `\`${id}-custom\`).`,
      { ...at, key: dotted(path) },
    );
  }

  const modelProviders: Record<string, ModelProviderConfig> = builtInProviders(
    toml.openai_base_url,
    env,
  );
  for (const [id, provider] of Object.entries(userProviders)) {
    modelProviders[id] = providerFromToml(provider);
  }

  const modelProviderId = toml.model_provider ?? OPENAI_PROVIDER_ID;
  const modelProvider = modelProviders[modelProviderId];
  if (modelProvider === undefined) {
    const at = origin(["model_provider"]);
    throw new ConfigError(
      "unknown_provider",
      `${where(at)}: model_provider ${JSON.stringify(modelProviderId)} is not a built-in provider ` +
        `and has no [model_providers.${modelProviderId}] table (known: ${Object.keys(modelProviders).sort().join(", ")})`,
      { ...at, key: "model_provider" },
    );
  }

  return {
    codexHome,
    configFile,
    model: toml.model,
    modelProviderId,
    modelProvider,
    modelProviders,
    chatgptBaseUrl: toml.chatgpt_base_url ?? DEFAULT_CHATGPT_BASE_URL,
    openaiBaseUrl: toml.openai_base_url,
    cliAuthCredentialsStore: toml.cli_auth_credentials_store ?? "file",
    forcedChatgptWorkspaceId: toml.forced_chatgpt_workspace_id,
    forcedLoginMethod: toml.forced_login_method,
    features: { useAgentIdentity: toml.features?.use_agent_identity ?? false },
    agentIdentityAllowedHosts: [...(toml.agent_identity_allowed_hosts ?? [])],
    attestationTimeoutMs: toml.attestation_timeout_ms ?? DEFAULT_ATTESTATION_TIMEOUT_MS,
    modelReasoningEffort: toml.model_reasoning_effort,
    profile: toml.profile,
    table,
  };
}

/**
 * The root keys with the selected profile's over them (upstream: a profile value wins over the
 * root one; `features` merge key by key). The profile is `options.profile` (`--profile`), else
 * the file's `profile` key; none selected leaves the root as it is.
 */
function withProfile(
  toml: ConfigToml,
  requested: string | undefined,
  origin: (path: readonly string[]) => Origin,
): ConfigToml {
  const name = requested ?? toml.profile;
  if (name === undefined) return toml;
  const profile = toml.profiles?.[name];
  if (profile === undefined) {
    const at: Origin = requested === undefined ? origin(["profile"]) : { file: "--profile" };
    const known =
      Object.keys(toml.profiles ?? {})
        .sort()
        .join(", ") || "none";
    throw new ConfigError(
      "unknown_profile",
      `${at.line === undefined ? at.file : `${at.file}:${at.line}`}: config profile ${JSON.stringify(name)} not found (known: ${known})`,
      { ...at, key: "profile" },
    );
  }
  const set = Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined));
  return {
    ...toml,
    ...set,
    features: { ...toml.features, ...profile.features },
    profile: name,
  };
}

async function readSource(file: string): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new ConfigError("unreadable", `cannot read ${file} (${code ?? "error"})`, {
      file,
      cause,
    });
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ConfigError("invalid_toml", `${file}: invalid TOML: the file is not valid UTF-8`, {
      file,
      cause,
    });
  }
}

function parseToml(
  source: string,
  file: string,
  keyLines: readonly KeyLine[],
): Record<string, unknown> {
  try {
    return parse(source) as Record<string, unknown>;
  } catch (cause) {
    if (!(cause instanceof TomlError)) throw cause;
    // The first line of smol-toml's message is the reason; the rest quotes the source (which
    // may hold a secret), so it is dropped.
    const reason = (cause.message.split("\n")[0] ?? "").replace(/^Invalid TOML document:\s*/, "");
    const path = keyAtLine(keyLines, cause.line);
    const key = path === undefined ? undefined : dotted(path);
    throw new ConfigError(
      "invalid_toml",
      `${file}:${cause.line}:${cause.column}: invalid TOML${key === undefined ? "" : ` at ${key}`}: ${reason}`,
      { file, line: cause.line, ...(key === undefined ? {} : { key }), cause },
    );
  }
}

function warnUnknownKeys(
  table: Record<string, unknown>,
  logger: Logger,
  where: (path: readonly string[]) => string,
): void {
  const warned = new Set<string>();
  const warn = (path: readonly string[]): void => {
    const key = dotted(path);
    if (warned.has(key)) return;
    warned.add(key);
    logger.warn(`unknown config key ${key} (${where(path)}) is ignored`, { configKey: key });
  };
  for (const [key, value] of Object.entries(table)) {
    if (IGNORED_UPSTREAM_KEYS.has(key)) continue;
    if (!MODELLED_KEYS.has(key)) {
      warn([key]);
      continue;
    }
    if (key !== "model_providers" || !isTable(value)) continue;
    for (const [id, provider] of Object.entries(value)) {
      if (!isTable(provider)) continue;
      for (const field of Object.keys(provider)) {
        if (!PROVIDER_KEYS.has(field) && !IGNORED_PROVIDER_KEYS.has(field)) {
          warn(["model_providers", id, field]);
        }
      }
    }
  }
}

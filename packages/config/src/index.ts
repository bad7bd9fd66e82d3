/**
 * @codex/config: `$CODEX_HOME/config.toml` and `-c key=value` overrides, read with upstream
 * Codex's key names and validated into one typed {@link CodexConfig}. Read by the apps only.
 */

export type {
  CodexConfig,
  CredentialsStoreMode,
  LoadConfigOptions,
  ModelProviderConfig,
} from "./codex-config.js";
export { ConfigError, type ConfigErrorCode, type ConfigErrorDetails } from "./config-error.js";
export {
  CONFIG_TOML_FILE,
  DEFAULT_ATTESTATION_TIMEOUT_MS,
  DEFAULT_CHATGPT_BASE_URL,
  loadConfig,
} from "./load-config.js";

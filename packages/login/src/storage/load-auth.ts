import { CodexAuth } from "../codex-auth.js";
import type { LoginConfig } from "../login-config.js";

/**
 * Loads the current credentials in upstream's order: `CODEX_API_KEY` (when enabled), then host
 * tokens in memory, then the configured store.
 *
 * @throws {LoginError} what the store throws (corrupt file, keyring timeout, ...).
 */
export async function loadAuth(config: LoginConfig): Promise<CodexAuth | undefined> {
  const { enableCodexApiKeyEnv, env, hostTokens, storeMode, storage } = config;
  if (enableCodexApiKeyEnv) {
    const key = env.CODEX_API_KEY?.trim();
    if (key) return CodexAuth.fromApiKey(key);
  }
  const host = await hostTokens.load();
  if (host) return CodexAuth.fromAuthDotJson(host, hostTokens);
  if (storeMode === "ephemeral") return undefined;
  const stored = await storage.load();
  return stored ? CodexAuth.fromAuthDotJson(stored, storage) : undefined;
}

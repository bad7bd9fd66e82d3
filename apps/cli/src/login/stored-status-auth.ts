import { createAuthManagerFromConfig } from "../auth-manager-from-config.js";
import type { CliContext } from "../cli-context.js";
import type { CliConfig } from "../config.js";
import type { StatusAuth } from "./auth-file-check.js";

/** The keyring / auto stores, read through @codex/login (loaded only for these modes). */
export async function loadStoredStatusAuth(
  ctx: CliContext,
  config: CliConfig,
): Promise<{ ok: true; auth: StatusAuth | undefined } | { ok: false; message: string }> {
  const manager = await createAuthManagerFromConfig(config, {
    env: { ...ctx.env, CODEX_API_KEY: undefined },
    enableCodexApiKeyEnv: false,
  });
  if (manager.loadError !== undefined) return { ok: false, message: manager.loadError.message };
  const stored = manager.authCached()?.getCurrentAuthJson();
  if (stored === undefined) return { ok: true, auth: undefined };
  return {
    ok: true,
    auth: {
      authMode: stored.authMode,
      apiKey: stored.openaiApiKey === null ? null : stored.openaiApiKey.reveal(),
      agentIdentity:
        stored.agentIdentity !== undefined
          ? { taskId: stored.agentIdentity.taskId }
          : stored.agentIdentityJwt !== undefined
            ? "jwt"
            : undefined,
    },
  };
}

import type { CliContext } from "../cli-context.js";
import { loadCliConfig } from "../config.js";
import { createCliAuthManager, loginErrorText } from "./auth-manager.js";

/**
 * `codex logout`, as upstream 0.169: revokes the stored ChatGPT refresh token (best effort: a
 * failed revoke still logs out), then removes the credentials. `Successfully logged out` or
 * `Not logged in` (both exit 0); a corrupt auth.json is removed too; a failure is
 * `Error logging out: …`, exit 1.
 */
export async function runLogout(
  ctx: CliContext,
  options: { readonly overrides: readonly string[] },
): Promise<number> {
  const config = await loadCliConfig(ctx, options.overrides);
  const { isLoginError } = await import("@codex/login");
  try {
    const manager = await createCliAuthManager(ctx, config);
    const result = await manager.logout({ revoke: true });
    ctx.stderr.write(result.removed ? "Successfully logged out\n" : "Not logged in\n");
    return 0;
  } catch (err) {
    if (!isLoginError(err)) throw err;
    ctx.stderr.write(`Error logging out: ${loginErrorText(err)}\n`);
    return 1;
  }
}

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CliContext } from "../cli-context.js";
import { loadCliConfig } from "../config.js";
import { checkAuthFile, type StatusAuth } from "./auth-file-check.js";
import { statusReport } from "./status-text.js";

const PREFIX = "Error checking login status: ";

/**
 * `codex login status`, as upstream 0.169: everything on stderr; exit 0 when logged in, 1 when
 * not or when the stored credentials cannot be read (reported, the file left untouched). The
 * file store is read here with no HTTP or crypto code; the keyring and auto stores go through
 * @codex/login.
 */
export async function runLoginStatus(
  ctx: CliContext,
  options: { readonly overrides: readonly string[] },
): Promise<number> {
  const config = await loadCliConfig(ctx, options.overrides);
  let auth: StatusAuth | undefined;
  if (config.cliAuthCredentialsStore === "file") {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(config.codexHome, "auth.json"));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return notLoggedIn(ctx);
      ctx.stderr.write(
        `${PREFIX}failed to read auth.json (${code ?? "error"}); check its permissions\n`,
      );
      return 1;
    }
    const checked = checkAuthFile(bytes);
    if (!checked.ok) {
      ctx.stderr.write(`${PREFIX}failed to deserialize CLI auth from file: ${checked.message}\n`);
      return 1;
    }
    auth = checked.auth;
  } else {
    const { loadStoredStatusAuth } = await import("./stored-status-auth.js");
    const loaded = await loadStoredStatusAuth(ctx, config);
    if (!loaded.ok) {
      ctx.stderr.write(`${PREFIX}${loaded.message}\n`);
      return 1;
    }
    if (loaded.auth === undefined) return notLoggedIn(ctx);
    auth = loaded.auth;
  }
  const report = statusReport(auth);
  for (const line of report.lines) ctx.stderr.write(`${line}\n`);
  return report.code;
}

function notLoggedIn(ctx: CliContext): number {
  ctx.stderr.write("Not logged in\n");
  return 1;
}

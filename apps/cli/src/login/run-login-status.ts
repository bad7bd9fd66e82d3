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
      ctx.stderr.write(`${PREFIX}${ioErrorText(code)}\n`);
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

/** Rust's io::Error text (glibc strerror + errno) for the failures a read can meet; else ours. */
const RUST_IO_ERRORS: Readonly<Record<string, string>> = {
  EACCES: "Permission denied (os error 13)",
  EPERM: "Operation not permitted (os error 1)",
  EISDIR: "Is a directory (os error 21)",
  ENOTDIR: "Not a directory (os error 20)",
  ELOOP: "Too many levels of symbolic links (os error 40)",
  EIO: "Input/output error (os error 5)",
};

function ioErrorText(code: string | undefined): string {
  return (
    (code !== undefined && process.platform === "linux" ? RUST_IO_ERRORS[code] : undefined) ??
    `cannot read auth.json (${code ?? "error"}); check its permissions`
  );
}

function notLoggedIn(ctx: CliContext): number {
  ctx.stderr.write("Not logged in\n");
  return 1;
}

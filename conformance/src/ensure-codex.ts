import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The upstream release this suite checks against. */
export const UPSTREAM_CODEX_VERSION = "0.169.0";

/** The npm package that ships the upstream binary (through per-platform optional dependencies). */
export const UPSTREAM_CODEX_PACKAGE = "@openai/codex";

/** Env var naming an existing upstream binary; skips the install. */
export const CODEX_BIN_ENV = "CODEX_CONFORMANCE_BIN";

/**
 * `@openai/codex`'s `bin/codex.js` picks `@openai/codex-<platform>` (an npm alias of
 * `@openai/codex@<version>-<platform>`) and runs `vendor/<target triple>/bin/codex` from it.
 * We resolve the same native binary and run it directly, so a test can kill it by pid.
 */
const TARGETS: Readonly<Record<string, { pkg: string; triple: string }>> = {
  "linux-x64": { pkg: "@openai/codex-linux-x64", triple: "x86_64-unknown-linux-musl" },
  "linux-arm64": { pkg: "@openai/codex-linux-arm64", triple: "aarch64-unknown-linux-musl" },
  "darwin-x64": { pkg: "@openai/codex-darwin-x64", triple: "x86_64-apple-darwin" },
  "darwin-arm64": { pkg: "@openai/codex-darwin-arm64", triple: "aarch64-apple-darwin" },
};

/** `${XDG_CACHE_HOME:-$HOME/.cache}/codex-conformance/<version>`. */
export function codexCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome =
    env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== ""
      ? env.XDG_CACHE_HOME
      : join(homedir(), ".cache");
  return join(cacheHome, "codex-conformance", UPSTREAM_CODEX_VERSION);
}

/** Where the native binary sits inside an `npm install --prefix <dir>` of the package. */
export function nativeBinaryIn(prefix: string): string {
  const target = TARGETS[`${process.platform}-${process.arch}`];
  if (target === undefined) {
    throw new Error(
      `no upstream codex build for ${process.platform}-${process.arch}; set ${CODEX_BIN_ENV}`,
    );
  }
  return join(prefix, "node_modules", target.pkg, "vendor", target.triple, "bin", "codex");
}

/** `codex --version` of a binary, e.g. `codex-cli 0.169.0`. */
export async function codexVersion(binary: string): Promise<string> {
  const { stdout } = await run(binary, ["--version"], { timeout: 30_000 });
  return stdout.trim();
}

async function checkVersion(binary: string): Promise<void> {
  const version = await codexVersion(binary);
  if (version !== `codex-cli ${UPSTREAM_CODEX_VERSION}`) {
    throw new Error(
      `${binary} reports "${version}", expected "codex-cli ${UPSTREAM_CODEX_VERSION}"`,
    );
  }
}

async function installedVersion(prefix: string): Promise<string | undefined> {
  try {
    const text = await readFile(
      join(prefix, "node_modules", "@openai", "codex", "package.json"),
      "utf8",
    );
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns the path of the upstream `codex` binary, version-checked:
 * `CODEX_CONFORMANCE_BIN` when set, else the cached install, else a fresh
 * `npm install --prefix <cache dir> @openai/codex@<version>` (about 400 MB, into a sibling
 * folder renamed into place once complete, so an interrupted install is never reused).
 */
export async function ensureCodex(
  log: (line: string) => void = () => {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const given = env[CODEX_BIN_ENV];
  if (given !== undefined && given !== "") {
    await checkVersion(given);
    return given;
  }
  const prefix = codexCacheDir(env);
  const binary = nativeBinaryIn(prefix);
  if ((await installedVersion(prefix)) === UPSTREAM_CODEX_VERSION && existsSync(binary)) {
    await checkVersion(binary);
    return binary;
  }
  const partial = `${prefix}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  log(`installing ${UPSTREAM_CODEX_PACKAGE}@${UPSTREAM_CODEX_VERSION} into ${prefix} (~400 MB)`);
  try {
    await run(
      "npm",
      [
        "install",
        "--prefix",
        partial,
        "--no-audit",
        "--no-fund",
        "--no-save",
        "--loglevel=error",
        `${UPSTREAM_CODEX_PACKAGE}@${UPSTREAM_CODEX_VERSION}`,
      ],
      { timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    await checkVersion(nativeBinaryIn(partial));
    await rm(prefix, { recursive: true, force: true });
    await rename(partial, prefix);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  await checkVersion(binary);
  return binary;
}

import { readFileSync } from "node:fs";

/**
 * Our version string, upstream's format: `codex-cli <version>` where the version is this
 * package's own (`apps/cli/package.json`), not upstream's.
 */
export function cliVersion(): string {
  const raw: unknown = JSON.parse(
    readFileSync(new URL("../package.json", import.meta.url), "utf8"),
  );
  const version =
    typeof raw === "object" && raw !== null && "version" in raw && typeof raw.version === "string"
      ? raw.version
      : "0.0.0";
  return `codex-cli ${version}`;
}

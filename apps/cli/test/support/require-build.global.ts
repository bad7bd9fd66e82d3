import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The e2e tests spawn the built binary: fail early with what to run when it is missing. */
export default function setup(): void {
  const bin = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run \`pnpm --filter @codex/cli build\` first`);
  }
}

import { ensureCodex } from "./ensure-codex.js";

// `pnpm --filter @codex/conformance ensure-codex`: installs (or finds) the upstream binary and
// prints its path.
ensureCodex((line) => process.stderr.write(`${line}\n`)).then(
  (binary) => process.stdout.write(`${binary}\n`),
  (error: unknown) => {
    process.stderr.write(
      `cannot provide the upstream codex binary: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);

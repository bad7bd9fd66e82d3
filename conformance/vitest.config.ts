import { defineConfig } from "vitest/config";

// Run only by `pnpm test:conformance` (this package has no `test` script, so `pnpm test` and
// turbo never pick it up). One file at a time: each test runs the upstream binary, and the
// machine has two cores.
export default defineConfig({
  test: {
    include: ["test/**/*.conformance.test.ts"],
    globalSetup: ["./test/support/codex-binary.global.ts"],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 20 * 60_000,
  },
});

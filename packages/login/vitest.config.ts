import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["./test/support/build-workers.global.ts", "./test/support/secret-scan.global.ts"],
    setupFiles: ["./test/support/secret-capture.setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});

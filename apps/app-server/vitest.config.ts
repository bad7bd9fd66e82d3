import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["./test/support/build.global.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});

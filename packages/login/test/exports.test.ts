// The package's public surface: the exports map (types first, ./testing, ./package.json) and the
// split between the main entry and the test helpers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as main from "../src/index.js";
import * as testing from "../src/testing/index.js";

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8"));

describe("@codex/login exports", () => {
  it("has an ESM exports map with types first, a ./testing subpath and ./package.json", () => {
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
    expect(Object.keys(pkg.exports)).toEqual(
      expect.arrayContaining([".", "./testing", "./package.json"]),
    );
    for (const key of [".", "./testing"]) {
      expect(Object.keys(pkg.exports[key])[0]).toBe("types");
    }
    expect(pkg.exports["./testing"]).toEqual({
      types: "./dist/testing/index.d.ts",
      default: "./dist/testing/index.js",
    });
  });

  it("exports the core API from the main entry, and test helpers only from ./testing", () => {
    for (const name of [
      "AuthManager",
      "CodexAuth",
      "LoginError",
      "UnauthorizedRecovery",
      "createAuthStorage",
      "parseAuthDotJson",
      "serializeAuthDotJson",
      "parseIdToken",
      "refreshTokens",
      "exchangeAuthorizationCode",
      "resolveCodexHome",
    ]) {
      expect(main, name).toHaveProperty(name);
    }
    for (const name of [
      "ChatGptAuthFixture",
      "encodeIdToken",
      "encodeAccessToken",
      "writeApiKeyAuth",
    ]) {
      expect(testing, name).toHaveProperty(name);
      expect(main, name).not.toHaveProperty(name);
    }
  });
});

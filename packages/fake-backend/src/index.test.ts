import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as api from "./index.js";

describe("public API", () => {
  it("exports exactly the documented runtime values", () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        "DEFAULT_ACCOUNT",
        "DEFAULT_CLIENT_ID",
        "DEFAULT_MAX_RECORDED_REQUESTS",
        "DEFAULT_RATE_LIMITS",
        "FakeBackendError",
        "FakeBackendState",
        "decodeJwtClaims",
        "echoText",
        "encodeUnsignedJwt",
        "rateLimitEvent",
        "rateLimitHeaders",
        "scripts",
        "startFakeBackend",
        "validateScript",
      ].sort(),
    );
  });

  it("has an ESM exports map with types first and package.json exported", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      type: string;
      private: boolean;
      exports: Record<string, unknown>;
    };
    expect(pkg.type).toBe("module");
    expect(pkg.private).toBe(true);
    expect(Object.keys(pkg.exports)).toEqual([".", "./package.json"]);
    expect(Object.keys(pkg.exports["."] as object)).toEqual(["types", "default"]);
  });
});

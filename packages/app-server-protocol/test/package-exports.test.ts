import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as {
  exports: Record<string, unknown>;
  files: string[];
  sideEffects: boolean;
  type: string;
};

describe("package.json", () => {
  it("exports the entry (types first), the JSON Schema files and package.json", () => {
    expect(Object.keys(pkg.exports)).toEqual([".", "./schema/*", "./package.json"]);
    expect(Object.keys(pkg.exports["."] as object)).toEqual(["types", "default"]);
    expect(pkg.exports["./schema/*"]).toBe("./schema/*");
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
  });

  it("publishes schema/ and the files the schema export points at exist", () => {
    expect(pkg.files).toContain("schema");
    for (const file of [
      "ClientRequest.json",
      "v2/LoginAccountParams.json",
      "codex_app_server_protocol.schemas.json",
    ]) {
      expect(existsSync(`${root}schema/${file}`), file).toBe(true);
    }
  });
});

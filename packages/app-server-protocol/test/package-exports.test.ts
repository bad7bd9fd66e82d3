import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateJsonSchemaFiles } from "../src/json-schema-files.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as {
  exports: Record<string, unknown>;
  files: string[];
  sideEffects: boolean;
  type: string;
};

describe("package.json", () => {
  it("exports the entry (types first), each JSON Schema file by name, and package.json", () => {
    const keys = Object.keys(pkg.exports);
    expect(keys[0]).toBe(".");
    expect(keys.at(-1)).toBe("./package.json");
    expect(Object.keys(pkg.exports["."] as object)).toEqual(["types", "default"]);
    // Explicit subpaths only: no wildcard can publish a file by accident.
    expect(keys.filter((key) => key.includes("*"))).toEqual([]);
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
  });

  it("lists exactly the generated schema files (run `pnpm write-schema` after changing a schema)", () => {
    const listed = Object.keys(pkg.exports).filter((key) => key.startsWith("./schema/"));
    const generated = [...generateJsonSchemaFiles().keys()].map((path) => `./schema/${path}`);
    expect(listed).toEqual(generated.sort());
    for (const key of listed) expect(pkg.exports[key]).toBe(key);
  });

  it("publishes schema/ and the files the schema exports point at exist", () => {
    expect(pkg.files).toContain("schema");
    const listed = Object.keys(pkg.exports).filter((key) => key.startsWith("./schema/"));
    for (const file of [
      "ClientRequest.json",
      "v2/LoginAccountParams.json",
      "codex_app_server_protocol.schemas.json",
    ]) {
      expect(listed).toContain(`./schema/${file}`);
    }
    for (const key of listed) expect(existsSync(`${root}${key.slice(2)}`), key).toBe(true);
  });
});

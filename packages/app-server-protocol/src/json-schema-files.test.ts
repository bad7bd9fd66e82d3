import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  BUNDLE_FILE,
  formatSchema,
  generateJsonSchemaFiles,
  V2_BUNDLE_FILE,
} from "./json-schema-files.js";

const schemaDir = fileURLToPath(new URL("../schema", import.meta.url));

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

describe("generateJsonSchemaFiles", () => {
  const files = generateJsonSchemaFiles();

  it("matches the committed schema/ folder exactly (run `pnpm write-schema` after changing a schema)", async () => {
    const committed = await listFiles(schemaDir);
    expect(committed).toEqual([...files.keys()].sort());
    for (const [path, text] of files) {
      const onDisk = await readFile(join(schemaDir, path), "utf8");
      expect(onDisk, `schema/${path} is stale`).toBe(text);
    }
  });

  it("uses upstream's layout: envelope files at the top, v1/, v2/ and two bundles", () => {
    for (const name of [
      "RequestId.json",
      "JSONRPCMessage.json",
      "JSONRPCRequest.json",
      "JSONRPCNotification.json",
      "JSONRPCResponse.json",
      "JSONRPCError.json",
      "JSONRPCErrorError.json",
      "ClientRequest.json",
      "ServerRequest.json",
      "ClientNotification.json",
      "ServerNotification.json",
      "ChatgptAuthTokensRefreshParams.json",
      "AttestationGenerateResponse.json",
      "v1/InitializeParams.json",
      "v1/InitializeResponse.json",
      "v2/LoginAccountParams.json",
      "v2/GetAccountResponse.json",
      "v2/AccountUpdatedNotification.json",
      BUNDLE_FILE,
      V2_BUNDLE_FILE,
    ]) {
      expect(files.has(name), name).toBe(true);
    }
  });

  it("writes draft-07, sorted keys, 2-space indent, no trailing newline, a title per file", () => {
    for (const [path, text] of files) {
      const doc = JSON.parse(text) as Record<string, unknown>;
      expect(doc.$schema).toBe("http://json-schema.org/draft-07/schema#");
      expect(text.endsWith("\n")).toBe(false);
      expect(formatSchema(doc)).toBe(text);
      expect(typeof doc.title, path).toBe("string");
    }
    expect(JSON.parse(files.get("v2/LoginAccountParams.json")!).title).toBe("LoginAccountParams");
  });

  it("resolves every $ref inside its own file", () => {
    for (const [path, text] of files) {
      const doc = JSON.parse(text) as { definitions?: Record<string, unknown> };
      for (const match of text.matchAll(/"\$ref": "#\/definitions\/([^"]+)"/g)) {
        expect(doc.definitions?.[match[1]!], `${path} -> ${match[1]}`).toBeDefined();
      }
    }
  });

  it("titles the method-tagged variants like upstream", () => {
    const client = JSON.parse(files.get("ClientRequest.json")!) as {
      anyOf: Array<{ title: string }>;
    };
    expect(client.anyOf.map((v) => v.title)).toContain("Account/readRequest");
    const server = JSON.parse(files.get("ServerNotification.json")!) as {
      anyOf: Array<{ title: string }>;
    };
    expect(server.anyOf.map((v) => v.title)).toContain("Account/updatedNotification");
  });

  it("is deterministic", () => {
    expect([...generateJsonSchemaFiles()]).toEqual([...files]);
  });
});

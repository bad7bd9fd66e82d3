import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readOutputSchema } from "./output-schema-file.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "codex-schema-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("readOutputSchema", () => {
  it("reads a JSON object relative to the working directory", async () => {
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    writeFileSync(join(dir, "schema.json"), JSON.stringify(schema));
    await expect(readOutputSchema("schema.json", dir)).resolves.toEqual(schema);
  });

  it.each([
    ["a missing file", undefined, /failed to read output schema file .*none\.json \(ENOENT\)/],
    ["text that is not JSON", "{type:", /is not valid JSON/],
    ["a JSON array", "[1, 2]", /must hold a JSON object/],
    ["JSON null", "null", /must hold a JSON object/],
  ])("refuses %s with one line", async (_case, content, message) => {
    const file = content === undefined ? "none.json" : "bad.json";
    if (content !== undefined) writeFileSync(join(dir, file), content);
    const error = await readOutputSchema(file, dir).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: "CliError", message: expect.stringMatching(message) });
    expect((error as Error).message).not.toContain("\n");
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadInstallationId } from "./installation-id.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "installation-id-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("loadInstallationId", () => {
  it("creates the file once and reads it back", async () => {
    const id = await loadInstallationId(home);
    expect(readFileSync(join(home, "installation_id"), "utf8")).toBe(id);
    expect(await loadInstallationId(home)).toBe(id);
  });

  it("replaces a file that holds no UUID", async () => {
    writeFileSync(join(home, "installation_id"), "garbage");
    expect(await loadInstallationId(home)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

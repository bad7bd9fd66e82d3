import { mkdtempSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

const created: string[] = [];

/** A fresh temporary Codex home, removed after the test. */
export function makeCodexHome(): string {
  const dir = mkdtempSync(join(tmpdir(), "codex-login-home-"));
  created.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(created.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Absolute path of `test/fixtures/<name>`. */
export function fixturePath(name: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", name);
}

/** Raw text of a fixture. */
export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), "utf8");
}

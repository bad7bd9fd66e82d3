import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeLastMessageFile } from "./last-message-file.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "exec-last-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeLastMessageFile", () => {
  it("writes the message as is, replacing an old file, leaving no temporary file", async () => {
    const path = join(dir, "last.txt");
    await writeFile(path, "old");
    await writeLastMessageFile(path, "new answer");
    expect(await readFile(path, "utf8")).toBe("new answer");
    expect(await readdir(dir)).toEqual(["last.txt"]);
  });

  it("writes an empty file when there is no message", async () => {
    const path = join(dir, "last.txt");
    await writeLastMessageFile(path, undefined);
    expect(await readFile(path, "utf8")).toBe("");
  });

  it("fails with one line naming the file when the folder is missing; nothing written", async () => {
    const path = join(dir, "missing", "last.txt");
    await expect(writeLastMessageFile(path, "x")).rejects.toThrow(
      `Failed to write last message file ${path}: ENOENT`,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it("fails when the target is a folder, leaving it alone", async () => {
    await expect(writeLastMessageFile(dir, "x")).rejects.toThrow(
      /Failed to write last message file/,
    );
  });
});

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findGitRoot } from "./trusted-directory.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "exec-git-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("findGitRoot", () => {
  it("finds the nearest folder with .git (folder or worktree file)", async () => {
    await mkdir(join(dir, "repo", ".git"), { recursive: true });
    await mkdir(join(dir, "repo", "a", "b"), { recursive: true });
    expect(await findGitRoot(join(dir, "repo", "a", "b"))).toBe(join(dir, "repo"));
    await mkdir(join(dir, "wt"));
    await writeFile(join(dir, "wt", ".git"), "gitdir: /elsewhere\n");
    expect(await findGitRoot(join(dir, "wt"))).toBe(join(dir, "wt"));
  });

  it("is undefined outside any repository", async () => {
    // tmpdir() itself is not inside a repository on any sane machine.
    expect(await findGitRoot(dir)).toBeUndefined();
  });
});

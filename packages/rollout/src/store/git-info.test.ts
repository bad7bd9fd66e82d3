import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectGitInfo } from "../index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rollout-git-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("collectGitInfo", () => {
  it("is undefined outside a repository", async () => {
    expect(await collectGitInfo(dir)).toBeUndefined();
    expect(await collectGitInfo(join(dir, "missing"))).toBeUndefined();
  });

  it("reads commit, branch and origin of a repository", async () => {
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], {
        cwd: dir,
      })
        .toString()
        .trim();
    git("init", "-q", "-b", "trunk");
    writeFileSync(join(dir, "f"), "x");
    git("add", "f");
    git("commit", "-q", "-m", "c");
    git("remote", "add", "origin", "https://example.invalid/repo.git");
    expect(await collectGitInfo(dir)).toEqual({
      commit_hash: git("rev-parse", "HEAD"),
      branch: "trunk",
      repository_url: "https://example.invalid/repo.git",
    });
  });

  it("never records credentials embedded in the origin URL", async () => {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir }).toString().trim();
    git("init", "-q");
    git("remote", "add", "origin", "https://example.invalid/x.git");
    const cases: [string, string][] = [
      ["https://user:tok-SECRET@example.invalid/r.git", "https://example.invalid/r.git"],
      ["https://tok-SECRET@example.invalid/r.git", "https://example.invalid/r.git"],
      ["ssh://git:tok-SECRET@example.invalid/r.git", "ssh://git@example.invalid/r.git"],
      ["git@example.invalid:org/r.git", "git@example.invalid:org/r.git"],
    ];
    for (const [origin, recorded] of cases) {
      git("remote", "set-url", "origin", origin);
      const info = await collectGitInfo(dir);
      expect(info?.repository_url).toBe(recorded);
    }
  });
});

import { execFile } from "node:child_process";
import { requirePath } from "../internal/args.js";
import type { GitInfo } from "../schema/session-meta.js";

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, timeout: 5000, windowsHide: true }, (err, stdout) => {
      if (err !== null) resolve(undefined);
      else {
        const out = stdout.trim();
        resolve(out === "" ? undefined : out);
      }
    });
  });
}

/**
 * The origin URL without embedded credentials: an http(s) URL loses its whole user part (often a
 * token), any other URL its password; scp-like `user@host:path` forms carry none and stay.
 */
function withoutCredentials(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.username === "" && u.password === "") return url;
  if (u.protocol === "http:" || u.protocol === "https:") u.username = "";
  u.password = "";
  return u.href;
}

/**
 * Collects `{commit_hash, branch, repository_url}` for `cwd` by running `git`;
 * `undefined` outside a git repository (or when git is missing). Credentials embedded in the
 * origin URL are never recorded.
 *
 * @example const git = await collectGitInfo(process.cwd());
 */
export async function collectGitInfo(cwd: string): Promise<GitInfo | undefined> {
  requirePath("cwd", cwd);
  const inside = await git(cwd, ["rev-parse", "--is-inside-work-tree"]);
  if (inside !== "true") return undefined;
  const [hash, branch, url] = await Promise.all([
    git(cwd, ["rev-parse", "HEAD"]),
    git(cwd, ["rev-parse", "--abbrev-ref", "HEAD"]),
    git(cwd, ["remote", "get-url", "origin"]),
  ]);
  const info: GitInfo = {};
  if (hash !== undefined) info.commit_hash = hash;
  if (branch !== undefined && branch !== "HEAD") info.branch = branch;
  if (url !== undefined) info.repository_url = withoutCredentials(url);
  return info;
}

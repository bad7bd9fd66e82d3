import { stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

/** The line 0.169 prints (exit 1) when exec runs outside a Git repository. */
export const UNTRUSTED_DIRECTORY_MESSAGE =
  "Not inside a trusted directory and --skip-git-repo-check was not specified.";

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Git work tree holding `dir` (the nearest folder with a `.git` folder or file), if any.
 * 0.169 runs `codex exec` only inside one unless `--skip-git-repo-check` is given; the folder
 * checked is the working root (`--cd`, else the current directory).
 */
export async function findGitRoot(dir: string): Promise<string | undefined> {
  let current = resolve(dir);
  for (;;) {
    if (await exists(join(current, ".git"))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

// Runs scripts/check-changesets.mjs in throwaway git repositories shaped like this workspace.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "check-changesets.mjs");
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.invalid",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

const repos = [];
afterEach(() => {
  for (const dir of repos.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repo() {
  const dir = mkdtempSync(join(tmpdir(), "check-changesets-"));
  repos.push(dir);
  const git = (...args) => execFileSync("git", args, { cwd: dir, env: GIT_ENV, encoding: "utf8" });
  const write = (path, text) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const commit = (message) => {
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
  };
  const check = () => {
    const result = spawnSync(process.execPath, [SCRIPT], {
      cwd: dir,
      env: GIT_ENV,
      encoding: "utf8",
    });
    return { code: result.status, output: `${result.stdout}${result.stderr}` };
  };
  git("init", "-q", "-b", "main");
  write(".changeset/README.md", "# Changesets\n");
  write(".changeset/config.json", "{}\n");
  for (const name of ["alpha", "beta"]) {
    write(`packages/${name}/package.json`, JSON.stringify({ name: `@codex/${name}` }));
    write(`packages/${name}/CHANGELOG.md`, `# @codex/${name}\n`);
    write(`packages/${name}/src/index.ts`, "export const a = 1;\n");
    write(`packages/${name}/src/index.test.ts`, "// test\n");
  }
  write("packages/backend/package.json", JSON.stringify({ name: "@codex/backend", private: true }));
  write("packages/backend/src/index.ts", "export {};\n");
  commit("initial release");
  return { dir, git, write, commit, check };
}

const changeset = (name, bump = "patch") => `---\n"${name}": ${bump}\n---\n\nA change.\n`;

describe("check-changesets", { timeout: 30_000 }, () => {
  it("passes when no package source changed since its CHANGELOG", () => {
    const r = repo();
    r.write("README.md", "docs only\n");
    r.commit("docs");
    expect(r.check()).toMatchObject({ code: 0 });
  });

  it("fails for a package whose src changed in a later commit without a changeset", () => {
    const r = repo();
    r.write("packages/alpha/src/index.ts", "export const a = 2;\n");
    r.commit("alpha: change");
    const result = r.check();
    expect(result.code).toBe(1);
    expect(result.output).toContain("@codex/alpha: src changed since");
    expect(result.output).toContain("packages/alpha/src/index.ts");
    expect(result.output).not.toContain("@codex/beta");
  });

  it("passes with a pending changeset, however many commits ago the CHANGELOG changed", () => {
    const r = repo();
    r.write("packages/alpha/src/index.ts", "export const a = 2;\n");
    r.commit("alpha: change");
    for (let i = 0; i < 6; i += 1) {
      r.write("packages/alpha/src/more.ts", `export const b = ${i};\n`);
      r.commit(`alpha: more ${i}`);
    }
    r.write(".changeset/alpha-change.md", changeset("@codex/alpha", "minor"));
    r.commit("changeset");
    expect(r.check()).toMatchObject({ code: 0 });
  });

  it("ignores test and bench files, and private packages", () => {
    const r = repo();
    r.write("packages/alpha/src/index.test.ts", "// a better test\n");
    r.write("packages/beta/src/thing.bench.ts", "// bench\n");
    r.write("packages/backend/src/index.ts", "export const changed = true;\n");
    r.commit("tests, bench, private package");
    expect(r.check()).toMatchObject({ code: 0 });
  });

  it("counts uncommitted and untracked source files", () => {
    const r = repo();
    r.write("packages/beta/src/new-file.ts", "export const n = 1;\n");
    const result = r.check();
    expect(result.code).toBe(1);
    expect(result.output).toContain("packages/beta/src/new-file.ts");
  });

  it("a release (a later CHANGELOG commit) clears the package", () => {
    const r = repo();
    r.write("packages/alpha/src/index.ts", "export const a = 2;\n");
    r.write(".changeset/alpha-change.md", changeset("@codex/alpha"));
    r.commit("alpha: change");
    rmSync(join(r.dir, ".changeset/alpha-change.md"));
    r.write("packages/alpha/CHANGELOG.md", "# @codex/alpha\n\n## 0.1.1\n");
    expect(r.check()).toMatchObject({ code: 0 }); // versioned, not yet committed
    r.commit("version packages");
    expect(r.check()).toMatchObject({ code: 0 });
  });

  it("a package without a CHANGELOG needs a changeset for its first release", () => {
    const r = repo();
    r.write("packages/gamma/package.json", JSON.stringify({ name: "@codex/gamma" }));
    r.write("packages/gamma/src/index.ts", "export {};\n");
    r.commit("gamma");
    const result = r.check();
    expect(result.code).toBe(1);
    expect(result.output).toContain("@codex/gamma: src changed, it has no CHANGELOG.md yet");
  });

  it("rejects a changeset naming an unknown package or without front matter", () => {
    const r = repo();
    r.write(".changeset/typo.md", changeset("@codex/alhpa"));
    r.write(".changeset/bare.md", "just words\n");
    r.commit("bad changesets");
    const result = r.check();
    expect(result.code).toBe(1);
    expect(result.output).toContain(".changeset/typo.md: no workspace package named @codex/alhpa");
    expect(result.output).toContain(".changeset/bare.md: no front matter");
  });

  it("refuses a shallow clone, where the last release cannot be found", () => {
    const r = repo();
    r.write("packages/alpha/src/index.ts", "export const a = 2;\n");
    r.commit("alpha: change");
    const clone = mkdtempSync(join(tmpdir(), "check-changesets-clone-"));
    repos.push(clone);
    execFileSync("git", ["clone", "-q", "--depth=1", `file://${r.dir}`, clone], { env: GIT_ENV });
    const result = spawnSync(process.execPath, [SCRIPT], { cwd: clone, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("shallow");
  });
});

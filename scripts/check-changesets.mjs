#!/usr/bin/env node
// Release hygiene (`pnpm lint`, `.ci/run`): a published package whose source changed since its
// last release must have a pending changeset naming it.
//
// The rule needs only the local history (a fresh clone without a remote works; a shallow one is
// refused). For every non-private workspace package:
//   - its last release is the last commit that touched its CHANGELOG.md (`changeset version`
//     writes it; a CHANGELOG.md with uncommitted edits counts as being released right now);
//   - if any file under its `src/` other than tests and benchmarks (`*.test.*`, `*.bench.*`)
//     differs between that commit and the working tree (committed, staged, unstaged or
//     untracked), some pending `.changeset/*.md` must name the package in its front matter.
// A package with no CHANGELOG.md counts from the empty tree: its first release needs a changeset.
// Private packages (the local backend, the apps) are never published and are not checked.
// Pending changesets must also parse: each names known packages with patch, minor or major.
//
//   node scripts/check-changesets.mjs     run from anywhere inside the repository
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = execFileSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8" }).trim();
const git = (...args) =>
  execFileSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).trim();
const lines = (text) => text.split("\n").filter((line) => line !== "");
const problems = [];

if (git("rev-parse", "--is-shallow-repository") === "true") {
  console.error(
    "changeset check: this clone is shallow, so the last release of a package cannot be found; " +
      "fetch the whole history (git fetch --unshallow) and run it again",
  );
  process.exit(1);
}

const packages = ["packages", "apps"]
  .filter((dir) => existsSync(join(root, dir)))
  .flatMap((dir) => readdirSync(join(root, dir)).map((name) => `${dir}/${name}`))
  .filter((dir) => existsSync(join(root, dir, "package.json")))
  .map((dir) => ({ dir, ...JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) }));
const known = new Set(packages.map((pkg) => pkg.name));

/** Package name → the pending changeset files that name it. */
const pending = new Map();
const changesetDir = join(root, ".changeset");
const changesetFiles = existsSync(changesetDir)
  ? readdirSync(changesetDir).filter((f) => f.endsWith(".md") && f !== "README.md")
  : [];
for (const file of changesetFiles) {
  const text = readFileSync(join(changesetDir, file), "utf8");
  const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!front) {
    problems.push(`.changeset/${file}: no front matter (--- "@codex/<pkg>": patch ---)`);
    continue;
  }
  for (const line of lines(front[1])) {
    const entry = /^\s*(["']?)(@?[\w./-]+)\1\s*:\s*(patch|minor|major)\s*$/.exec(line);
    if (!entry) {
      problems.push(`.changeset/${file}: cannot read "${line.trim()}" (want "<package>": patch)`);
      continue;
    }
    const name = entry[2];
    if (!known.has(name)) problems.push(`.changeset/${file}: no workspace package named ${name}`);
    pending.set(name, [...(pending.get(name) ?? []), file]);
  }
}

const EMPTY_TREE = git("hash-object", "-t", "tree", "/dev/null");
const isSource = (path) => !/\.(test|bench)\.[^/]*$/.test(path);

for (const pkg of packages) {
  if (pkg.private === true || pending.has(pkg.name)) continue;
  const changelog = `${pkg.dir}/CHANGELOG.md`;
  const changelogEdited = lines(git("status", "--porcelain", "--", changelog)).length > 0;
  if (changelogEdited) continue;
  const release = git("log", "-1", "--format=%H", "--", changelog);
  const base = release === "" ? EMPTY_TREE : release;
  const src = `${pkg.dir}/src`;
  const changed = [
    ...lines(git("diff", "--name-only", base, "--", src)),
    ...lines(git("ls-files", "--others", "--exclude-standard", "--", src)),
  ].filter(isSource);
  if (changed.length === 0) continue;
  const since =
    release === ""
      ? "src changed, it has no CHANGELOG.md yet,"
      : `src changed since ${release.slice(0, 7)} (its last CHANGELOG.md commit)`;
  const shown = changed.slice(0, 5).join(", ") + (changed.length > 5 ? ", …" : "");
  problems.push(
    `${pkg.name}: ${since} but no pending changeset names it; ` +
      `run \`pnpm changeset\` and commit the file. Changed: ${shown}`,
  );
}

if (problems.length > 0) {
  console.error(`changeset check failed:\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
const named = [...pending.keys()].sort().join(", ") || "none";
console.log(`changeset check passed (pending changesets name: ${named})`);

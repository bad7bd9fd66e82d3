/**
 * AGENT_IDENTITY_PACKAGE_VERSION is read from package.json, not written in the code: proven on the
 * published layout (`dist/` beside package.json, as in the tarball), with a version the source
 * has never seen, run by plain node.
 */
import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, expect, it } from "vitest";
import { AGENT_IDENTITY_PACKAGE_VERSION } from "../src/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "agent-identity-version-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

it("equals the version field of package.json", () => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  expect(AGENT_IDENTITY_PACKAGE_VERSION).toBe(pkg.version);
});

it("is read from the package.json beside dist/ in the published layout", () => {
  // Emit dist/ as tsc does (isolatedModules: each file transpiles on its own).
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.build.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (config === undefined) throw new Error("cannot read tsconfig.build.json");
  for (const file of sources(join(root, "src"))) {
    const out = join(work, "dist", relative(join(root, "src"), file).replace(/\.ts$/, ".js"));
    mkdirSync(dirname(out), { recursive: true });
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      // transpileModule cannot see "type": "module", so name the ESM output NodeNext gives here.
      compilerOptions: { ...config.options, module: ts.ModuleKind.ESNext },
      fileName: file,
    });
    writeFileSync(out, outputText);
  }
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<
    string,
    unknown
  >;
  writeFileSync(join(work, "package.json"), JSON.stringify({ ...pkg, version: "9.8.7-published" }));
  symlinkSync(join(root, "node_modules"), join(work, "node_modules"), "dir");

  const printed = execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const m = await import(${JSON.stringify(join(work, "dist", "index.js"))});
       console.log(m.AGENT_IDENTITY_PACKAGE_VERSION, m.buildAbom("cli", { os: "linux" }).agentVersion);`,
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  expect(printed.trim()).toBe("9.8.7-published 9.8.7-published");
});

// Compiles a few TypeScript files of this package to plain ESM JavaScript, so a test can run them
// in child processes with plain `node` (no tsx loader): what a real second process runs.
// Types are only stripped (each file on its own); the folder layout is kept, so relative imports
// still resolve, and bare imports (koffi) resolve from the package's node_modules.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** Root of @codex/login. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A compiled tree; `path("test/support/x.ts")` is the `.js` to run. */
export interface CompiledTree {
  path(sourceRelative: string): string;
  remove(): void;
}

/** Compiles `sources` (paths relative to the package root) into a fresh folder. */
export function compileForNode(sources: readonly string[]): CompiledTree {
  const cacheDir = join(PACKAGE_ROOT, "node_modules", ".cache");
  mkdirSync(cacheDir, { recursive: true });
  const outDir = mkdtempSync(join(cacheDir, "codex-login-node-build-"));
  // Inside node_modules Node looks no further up for "type": "module".
  writeFileSync(join(outDir, "package.json"), JSON.stringify({ type: "module" }));
  for (const source of sources) {
    const output = ts.transpileModule(readFileSync(join(PACKAGE_ROOT, source), "utf8"), {
      fileName: source,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    const file = join(outDir, source.replace(/\.ts$/, ".js"));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, output.outputText);
  }
  return {
    path: (sourceRelative) => join(outDir, sourceRelative.replace(/\.ts$/, ".js")),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

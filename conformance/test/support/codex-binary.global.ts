import type { TestProject } from "vitest/node";
import { ensureCodex } from "../../src/ensure-codex.js";

declare module "vitest" {
  export interface ProvidedContext {
    codexBinary: string;
  }
}

/** Installs (first run only) or finds the upstream binary once, for every test file. */
export default async function setup(project: TestProject): Promise<void> {
  const binary = await ensureCodex((line) => process.stderr.write(`[conformance] ${line}\n`));
  process.stderr.write(`[conformance] upstream codex: ${binary}\n`);
  project.provide("codexBinary", binary);
}

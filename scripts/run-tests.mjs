#!/usr/bin/env node
// Runs every package's test suite through turbo, streams the output unchanged, then prints one
// plain closing line that sums vitest's per-package "Tests" lines: "tests: N passed, N failed".
import { spawn } from "node:child_process";
import { stripVTControlCharacters } from "node:util";

const SUMMARY = /^\S*\s*Tests\s+(.*)\(\d+\)\s*$/;

const child = spawn(
  "pnpm",
  ["exec", "turbo", "run", "test", "--concurrency=1", ...process.argv.slice(2)],
  {
    stdio: ["inherit", "pipe", "inherit"],
  },
);

let passed = 0;
let failed = 0;
let pending = "";
const scan = (line) => {
  const text = stripVTControlCharacters(line).replace(/^.*?:test: /, "");
  const match = SUMMARY.exec(text.trim());
  if (!match) return;
  for (const part of match[1].split("|")) {
    const [count, kind] = part.trim().split(/\s+/);
    if (kind === "passed") passed += Number(count);
    if (kind === "failed") failed += Number(count);
  }
};
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  pending += chunk.toString("utf8");
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  lines.forEach(scan);
});
child.on("close", (code, signal) => {
  scan(pending);
  const exitCode = code ?? (signal ? 1 : 0);
  if (exitCode !== 0 && failed === 0) failed = 1; // a suite that crashed before its summary
  process.stdout.write(`\ntests: ${passed} passed, ${failed} failed\n`);
  process.exit(exitCode);
});

#!/usr/bin/env node
// Runs the conformance suite (vitest), streams its output unchanged, then prints one plain
// closing line from vitest's "Tests" summary: "conformance: N passed, N failed".
import { spawn } from "node:child_process";
import { stripVTControlCharacters } from "node:util";

const SUMMARY = /^\s*Tests\s+(.*)\(\d+\)\s*$/;
let passed = 0;
let failed = 0;
let pending = "";
const scan = (line) => {
  const match = SUMMARY.exec(stripVTControlCharacters(line));
  if (!match) return;
  for (const part of match[1].split("|")) {
    const [count, kind] = part.trim().split(/\s+/);
    if (kind === "passed") passed += Number(count);
    if (kind === "failed") failed += Number(count);
  }
};
const child = spawn("vitest", ["run", ...process.argv.slice(2)], {
  stdio: ["ignore", "pipe", "inherit"],
});
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
  if (exitCode !== 0 && failed === 0) failed = 1; // crashed before its summary
  process.stdout.write(`\nconformance: ${passed} passed, ${failed} failed\n`);
  process.exit(exitCode);
});

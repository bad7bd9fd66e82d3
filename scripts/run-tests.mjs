#!/usr/bin/env node
// `pnpm test`: runs every package's test suite through turbo, then the repo scripts' own tests
// (`scripts/*.test.mjs`), streaming the output unchanged. A failing package does not stop the
// others (`--continue`); the exit code is non-zero when anything failed. At the end it repeats
// the reasons suites printed for skipping system tests (`system-test skipped: <reason>`), then
// prints one plain closing line: `tests: N passed, N failed[, N skipped]` (scripts/test-summary.mjs).
// Extra arguments go to turbo and skip the scripts' tests, e.g. `pnpm test --filter=@codex/http`.
import { spawn } from "node:child_process";
import { createTestSummary } from "./test-summary.mjs";

const summary = createTestSummary();

/** Runs one command, echoing and scanning its stdout and stderr; resolves to its exit code. */
function step(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["inherit", "pipe", "pipe"] });
    const follow = (stream, sink) => {
      let pending = "";
      stream.on("data", (chunk) => {
        sink.write(chunk);
        pending += chunk.toString("utf8");
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) summary.scan(line);
      });
      stream.on("end", () => summary.scan(pending));
    };
    follow(child.stdout, process.stdout);
    follow(child.stderr, process.stderr);
    child.on("error", (err) => {
      process.stderr.write(`run-tests: cannot start ${command}: ${err.message}\n`);
      resolve(1);
    });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const extra = process.argv.slice(2);
const codes = [
  await step("pnpm", [
    "exec",
    "turbo",
    "run",
    "test",
    "--continue=dependencies-successful",
    "--concurrency=1",
    ...extra,
  ]),
];
if (extra.length === 0)
  codes.push(await step("pnpm", ["exec", "vitest", "run", "--dir", "scripts"]));

const exitCode = codes.find((code) => code !== 0) ?? 0;
process.stdout.write(summary.render(exitCode));
process.exit(exitCode);

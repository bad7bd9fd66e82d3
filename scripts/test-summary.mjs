// Reads the output of `pnpm test` line by line and sums it up (used by scripts/run-tests.mjs):
// vitest's "Tests" lines give the counts, and the lines suites print when they skip system tests
// give the reasons, repeated at the end.
//
// A suite that skips because an OS service is missing prints one line containing
// `system-test skipped: <reason>`; the `[system test] SKIP <reason>` and `[system test] FAIL
// <reason>` lines of `systemTestGate` (@codex/wire/testing) are read the same way.
import { stripVTControlCharacters } from "node:util";

const SUMMARY = /^\S*\s*Tests\s+(.*)\(\d+\)\s*$/;
const SKIP_LINE = /(?:system-test skipped:|\[system test\] (SKIP|FAIL))\s*(.*)$/;
const TASK_PREFIX = /^(\S+?):test: /;

export function createTestSummary() {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const reasons = new Set();
  return {
    counts,
    reasons,
    /** Feeds one output line (turbo's `<pkg>:test: ` prefix and colours allowed). */
    scan(line) {
      const plain = stripVTControlCharacters(line);
      const task = TASK_PREFIX.exec(plain);
      const text = task ? plain.slice(task[0].length) : plain;
      const skip = SKIP_LINE.exec(text);
      if (skip) {
        const where = task ? `${task[1]}: ` : "";
        const what = skip[1] === "FAIL" ? "required, could not run: " : "";
        reasons.add(`${where}${what}${skip[2].trim()}`);
        return;
      }
      const match = SUMMARY.exec(text.trim());
      if (!match) return;
      for (const part of match[1].split("|")) {
        const [count, kind] = part.trim().split(/\s+/);
        if (kind === "passed") counts.passed += Number(count);
        if (kind === "failed") counts.failed += Number(count);
        if (kind === "skipped") counts.skipped += Number(count);
      }
    },
    /** The closing text: the distinct skip reasons, then the one plain `tests: …` line. */
    render(exitCode) {
      // A suite that died before printing its summary still counts as a failure.
      const failed = exitCode !== 0 && counts.failed === 0 ? 1 : counts.failed;
      let out = "";
      if (reasons.size > 0) {
        out +=
          "\nsystem tests not run (CODEX_REQUIRE_SYSTEM_TESTS=1 turns a skip into a failure):\n";
        for (const reason of reasons) out += `  ${reason}\n`;
      }
      const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : "";
      return `${out}\ntests: ${counts.passed} passed, ${failed} failed${skipped}\n`;
    },
  };
}

// The demo's printed record: numbered steps, labelled facts, checks of what the backend verified,
// and the closing summary table. Nothing here prints a secret: callers pass only what may be seen.

const PASS = "ok";
const FAIL = "FAILED";

export class Transcript {
  #results = [];
  #current;

  /** Starts a step; its checks are collected until the next step. */
  step(title) {
    this.#current = { title, checks: [], error: undefined };
    this.#results.push(this.#current);
    console.log(`\n▸ ${this.#results.length}. ${title}`);
  }

  /** A fact worth seeing (a URL, a file mode, the answer text). */
  show(label, value) {
    console.log(`  ${label.padEnd(24)} ${value}`);
  }

  /** A verification: printed at once, kept for the summary. */
  check(what, passed, detail = "") {
    this.#current.checks.push({ what, passed: Boolean(passed) });
    const mark = passed ? "✓" : "✗";
    console.log(`  ${mark} ${what}${detail === "" ? "" : ` (${detail})`}`);
  }

  /** The step stopped on an exception: recorded as a failure with its one-line reason. */
  fail(error) {
    const message = error instanceof Error ? error.message : String(error);
    this.#current.error = message.split("\n")[0];
    console.log(`  ✗ ${this.#current.error}`);
  }

  /** Prints the table and returns whether every step passed. */
  summary() {
    const rows = this.#results.map((step, index) => {
      const passed = step.error === undefined && step.checks.every((check) => check.passed);
      const verified = step.checks.filter((check) => check.passed).map((check) => check.what);
      return {
        step: `${index + 1}. ${step.title}`,
        result: passed ? PASS : FAIL,
        verification: step.error ?? (verified.join("; ") || "(nothing verified)"),
      };
    });
    const width = (key, title) => Math.max(title.length, ...rows.map((row) => row[key].length));
    const stepWidth = width("step", "step");
    const resultWidth = width("result", "result");
    const line = (a, b, c) => `${a.padEnd(stepWidth)} │ ${b.padEnd(resultWidth)} │ ${c}`;
    console.log("\nSummary");
    console.log(line("step", "result", "verification"));
    console.log(`${"─".repeat(stepWidth)}─┼─${"─".repeat(resultWidth)}─┼─${"─".repeat(12)}`);
    for (const row of rows) console.log(line(row.step, row.result, row.verification));
    return rows.every((row) => row.result === PASS);
  }
}

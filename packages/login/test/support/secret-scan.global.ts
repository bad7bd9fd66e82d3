// Global setup/teardown: creates the suite capture directory, and after the whole run fails the
// suite if any registered test secret appears in anything captured (logs, errors, stdout, stderr).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CAPTURE_DIR_ENV, CAPTURE_SENTINEL, findLeaks } from "./capture.js";

let dir: string | undefined;

export function setup(): void {
  dir = mkdtempSync(join(tmpdir(), "codex-login-capture-"));
  process.env[CAPTURE_DIR_ENV] = dir;
}

export function teardown(): void {
  if (!dir) return;
  const files = readdirSync(dir);
  const secrets = files
    .filter((f) => f.startsWith("secrets-"))
    .flatMap((f) => readFileSync(join(dir as string, f), "utf8").split("\n"))
    .filter((s) => s.length > 0);
  const captured = files
    .filter((f) => f.startsWith("capture-"))
    .map((f) => readFileSync(join(dir as string, f), "utf8"))
    .join("\n");
  rmSync(dir, { recursive: true, force: true });
  const fail = (message: string): never => {
    // vitest reports a throwing global teardown but keeps exit code 0: set it ourselves
    process.exitCode = 1;
    process.stderr.write(`${message}\n`);
    throw new Error(message);
  };
  if (!captured.includes(CAPTURE_SENTINEL)) {
    fail("secret scan: nothing was captured; the capture setup is broken");
  }
  if (secrets.length === 0) {
    // a partial run (one file) may register none; the full suite registers hundreds
    process.stdout.write("secret scan: no test secrets registered in this run\n");
    return;
  }
  const leaks = findLeaks(captured, secrets);
  if (leaks.length > 0) {
    fail(`secret scan: ${leaks.length} registered test secret(s) leaked into captured output`);
  }
  process.stdout.write(
    `secret scan: ${secrets.length} test secrets, ${captured.length} captured bytes, no leak\n`,
  );
}

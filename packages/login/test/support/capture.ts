/**
 * Suite-wide capture of everything a test could leak: stdout/stderr, console, logger records and
 * every error a test inspects. `secret-scan.global.ts` scans it after the run for the registered
 * test secrets.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { createLogger, type Logger, type LogRecord } from "@codex/wire";
import { expect } from "vitest";
import { LoginError, type LoginErrorCode } from "../../src/errors.js";

/** Env var naming the capture directory (set by the global setup). */
export const CAPTURE_DIR_ENV = "CODEX_LOGIN_TEST_CAPTURE_DIR";
/** A marker every captured stream must contain at the end of a run, proving capture works. */
export const CAPTURE_SENTINEL = "codex-login-capture-sentinel";

function dir(): string | undefined {
  const d = process.env[CAPTURE_DIR_ENV];
  if (d) mkdirSync(d, { recursive: true });
  return d;
}

/** Appends text to this worker's capture file. */
export function capture(text: string): void {
  const d = dir();
  if (d) appendFileSync(join(d, `capture-${process.pid}.log`), `${text}\n`);
}

/** Registers a raw secret value the scanner must never find in captured output. */
export function registerSecret(value: string): string {
  const d = dir();
  if (d && value.length >= 6) appendFileSync(join(d, `secrets-${process.pid}.txt`), `${value}\n`);
  return value;
}

/** A logger whose records are kept (for assertions) and captured (for the scan). */
export function captureLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = createLogger({
    level: "debug",
    sink: (record: LogRecord) => {
      records.push(record);
      capture(inspect(record, { depth: 8 }));
      capture(JSON.stringify(record));
    },
  });
  return { logger, records };
}

/** Captures an error in every printable form (message, stack, inspect incl. causes, JSON). */
export function captureError(err: unknown): void {
  capture(inspect(err, { depth: 8 }));
  if (err instanceof Error) capture(`${err.name}: ${err.message}\n${err.stack ?? ""}`);
  try {
    capture(JSON.stringify(err));
  } catch {
    // not serializable: inspect above already captured it
  }
}

/** Awaits `run`, expects a `LoginError` with `code`, captures it and returns it. */
export async function expectLoginError(
  run: Promise<unknown> | (() => unknown),
  code: LoginErrorCode,
): Promise<LoginError> {
  let caught: unknown;
  try {
    await (typeof run === "function" ? run() : run);
  } catch (err) {
    caught = err;
  }
  captureError(caught);
  expect(caught).toBeInstanceOf(LoginError);
  expect((caught as LoginError).code).toBe(code);
  return caught as LoginError;
}

/** Returns the registered secrets found in `text` (the scanner used after the run). */
export function findLeaks(text: string, secrets: readonly string[]): string[] {
  return [...new Set(secrets.filter((s) => s.length >= 6 && text.includes(s)))];
}

import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Environment variable that turns a missing OS service from a skip into a failure (CI sets it). */
export const REQUIRE_SYSTEM_TESTS_ENV = "CODEX_REQUIRE_SYSTEM_TESTS";

/** What a probe found: the service is there, or what is missing and how to install it. */
export type SystemProbe =
  | { readonly available: true }
  | {
      readonly available: false;
      /** What is missing, e.g. `dbus-run-session (Debian package dbus)`. */
      readonly missing: string;
      /** How to get it, e.g. `sudo apt-get install dbus gnome-keyring`. */
      readonly install: string;
    };

/** The verdict for one suite that needs an OS service. */
export interface SystemTestGate {
  /** The service, as named in the printed line (`Secret Service`, `Chromium`). */
  readonly name: string;
  /** The probe found the service. */
  readonly available: boolean;
  /**
   * Skip the suite: the service is missing and `CODEX_REQUIRE_SYSTEM_TESTS` is not `1`.
   * Pass it to `describe.skipIf(gate.skip)`.
   */
  readonly skip: boolean;
  /** One line saying what is missing and how to install it; `undefined` when available. */
  readonly reason: string | undefined;
  /**
   * Throws an `Error` carrying the reason when the service is missing. Call it first in the
   * suite's `beforeAll`: under `CODEX_REQUIRE_SYSTEM_TESTS=1` the suite is not skipped, so every
   * test in it fails with the reason instead of with whatever the missing service breaks.
   */
  check(): void;
}

/** Options of {@link systemTestGate}. */
export interface SystemTestGateOptions {
  /** Environment read for `CODEX_REQUIRE_SYSTEM_TESTS` (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the one line about a skip or a required service goes (default: stderr). */
  readonly print?: (line: string) => void;
}

/**
 * Decides whether a test suite that needs an OS service (a Secret Service, a browser, a D-Bus
 * daemon) runs. When the probe finds the service the suite runs. When it does not, the gate
 * prints one line with the reason and the suite is skipped, unless `CODEX_REQUIRE_SYSTEM_TESTS=1`:
 * then the suite runs and `check()` fails every test with the reason, so CI never passes a skip.
 * A probe that throws counts as "missing", with the thrown message as what is missing.
 *
 * @example
 * ```ts
 * const chromium = systemTestGate("Chromium", () => {
 *   const path = findExecutable(["chromium", "google-chrome"]);
 *   return path ? { available: true } : { available: false, missing: "chromium on PATH", install: "sudo apt-get install chromium" };
 * });
 * describe.skipIf(chromium.skip)("browser login", () => {
 *   beforeAll(() => chromium.check());
 *   it("…", async () => {});
 * });
 * ```
 */
export function systemTestGate(
  name: string,
  probe: () => SystemProbe,
  options: SystemTestGateOptions = {},
): SystemTestGate {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  let found: SystemProbe;
  try {
    found = probe();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    found = { available: false, missing: `probe failed: ${message}`, install: "see the probe" };
  }
  if (found.available) {
    return { name, available: true, skip: false, reason: undefined, check: () => undefined };
  }
  const reason = `${name} is not available: missing ${found.missing}; install: ${found.install}`;
  const required = env[REQUIRE_SYSTEM_TESTS_ENV] === "1";
  print(
    required
      ? `[system test] FAIL ${reason} (${REQUIRE_SYSTEM_TESTS_ENV}=1 makes a missing service a failure)`
      : `[system test] SKIP ${reason} (set ${REQUIRE_SYSTEM_TESTS_ENV}=1 to fail instead)`,
  );
  return {
    name,
    available: false,
    skip: !required,
    reason,
    check() {
      throw new Error(`${reason} (${REQUIRE_SYSTEM_TESTS_ENV}=1)`);
    },
  };
}

/**
 * The first of `commands` found as an executable file on `PATH` (from `env`, default
 * `process.env`), as an absolute path; `undefined` when none is. A name containing a slash is
 * checked as a path itself.
 */
export function findExecutable(
  commands: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const dirs = (env.PATH ?? "").split(delimiter).filter((d) => d !== "");
  for (const command of commands) {
    const candidates = command.includes("/") ? [command] : dirs.map((d) => join(d, command));
    for (const candidate of candidates) {
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not there, or not executable: try the next one
      }
    }
  }
  return undefined;
}

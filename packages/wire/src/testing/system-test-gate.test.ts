import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findExecutable, REQUIRE_SYSTEM_TESTS_ENV, systemTestGate } from "./system-test-gate.js";

const missing = () =>
  ({ available: false, missing: "frobd on PATH", install: "apt-get install frob" }) as const;

describe("systemTestGate", () => {
  it("runs the suite and prints nothing when the probe finds the service", () => {
    const lines: string[] = [];
    const gate = systemTestGate("Frob", () => ({ available: true }), {
      env: { [REQUIRE_SYSTEM_TESTS_ENV]: "1" },
      print: (l) => lines.push(l),
    });
    expect(gate).toMatchObject({ name: "Frob", available: true, skip: false, reason: undefined });
    expect(() => gate.check()).not.toThrow();
    expect(lines).toEqual([]);
  });

  it("skips with one printed line naming what is missing and how to install it", () => {
    const lines: string[] = [];
    const gate = systemTestGate("Frob", missing, { env: {}, print: (l) => lines.push(l) });
    expect(gate.available).toBe(false);
    expect(gate.skip).toBe(true);
    expect(gate.reason).toBe(
      "Frob is not available: missing frobd on PATH; install: apt-get install frob",
    );
    expect(lines).toEqual([
      `[system test] SKIP ${gate.reason} (set CODEX_REQUIRE_SYSTEM_TESTS=1 to fail instead)`,
    ]);
  });

  it.each([["0"], [""], ["true"]])("only the exact value 1 makes it strict (%j skips)", (value) => {
    const gate = systemTestGate("Frob", missing, {
      env: { [REQUIRE_SYSTEM_TESTS_ENV]: value },
      print: () => undefined,
    });
    expect(gate.skip).toBe(true);
  });

  it("with CODEX_REQUIRE_SYSTEM_TESTS=1 a missing service runs the suite and check() fails it", () => {
    const lines: string[] = [];
    const gate = systemTestGate("Frob", missing, {
      env: { [REQUIRE_SYSTEM_TESTS_ENV]: "1" },
      print: (l) => lines.push(l),
    });
    expect(gate.skip).toBe(false);
    expect(() => gate.check()).toThrow(
      "Frob is not available: missing frobd on PATH; install: apt-get install frob (CODEX_REQUIRE_SYSTEM_TESTS=1)",
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[system test\] FAIL Frob is not available/);
  });

  it("a throwing probe counts as missing, with its message", () => {
    const gate = systemTestGate(
      "Frob",
      () => {
        throw new Error("no socket");
      },
      { env: {}, print: () => undefined },
    );
    expect(gate.skip).toBe(true);
    expect(gate.reason).toContain("missing probe failed: no socket");
  });

  it("reads process.env by default", () => {
    const before = process.env[REQUIRE_SYSTEM_TESTS_ENV];
    process.env[REQUIRE_SYSTEM_TESTS_ENV] = "1";
    try {
      expect(systemTestGate("Frob", missing, { print: () => undefined }).skip).toBe(false);
    } finally {
      if (before === undefined) delete process.env[REQUIRE_SYSTEM_TESTS_ENV];
      else process.env[REQUIRE_SYSTEM_TESTS_ENV] = before;
    }
  });
});

describe("findExecutable", () => {
  const root = mkdtempSync(join(tmpdir(), "wire-find-exec-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const a = join(root, "a");
  const b = join(root, "b");
  mkdirSync(a);
  mkdirSync(b);
  writeFileSync(join(a, "plain"), "");
  chmodSync(join(a, "plain"), 0o644);
  writeFileSync(join(b, "plain"), "#!/bin/sh\n");
  chmodSync(join(b, "plain"), 0o755);
  writeFileSync(join(b, "second"), "#!/bin/sh\n");
  chmodSync(join(b, "second"), 0o755);
  mkdirSync(join(a, "adir"));
  const env = { PATH: [a, b].join(":") };

  it("returns the first executable file on PATH, skipping non-executables and folders", () => {
    expect(findExecutable(["plain"], env)).toBe(join(b, "plain"));
    expect(findExecutable(["adir", "missing", "second"], env)).toBe(join(b, "second"));
  });

  it("answers undefined when nothing matches, or PATH is empty or unset", () => {
    expect(findExecutable(["missing"], env)).toBeUndefined();
    expect(findExecutable(["second"], { PATH: "" })).toBeUndefined();
    expect(findExecutable(["second"], {})).toBeUndefined();
  });

  it("checks a name with a slash as a path", () => {
    expect(findExecutable([join(b, "second")], { PATH: "" })).toBe(join(b, "second"));
    expect(findExecutable([join(a, "plain")], { PATH: "" })).toBeUndefined();
  });
});

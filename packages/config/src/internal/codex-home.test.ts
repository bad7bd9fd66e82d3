import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../config-error.js";
import { resolveCodexHome } from "./codex-home.js";

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "codex-home-")));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("resolveCodexHome", () => {
  it("makes an explicit path absolute without checking it", () => {
    expect(resolveCodexHome("rel/home", {})).toBe(resolve("rel/home"));
  });

  it("returns CODEX_HOME canonicalised", () => {
    symlinkSync(dir, join(dir, "link"));
    expect(resolveCodexHome(undefined, { CODEX_HOME: join(dir, "link") })).toBe(dir);
  });

  it("ignores an empty CODEX_HOME", () => {
    expect(resolveCodexHome(undefined, { CODEX_HOME: "" })).toMatch(/\.codex$/);
  });

  it.each([
    ["empty explicit path", () => resolveCodexHome("", {}), "invalid_value"],
    [
      "missing CODEX_HOME",
      () => resolveCodexHome(undefined, { CODEX_HOME: join(dir, "x") }),
      "unreadable",
    ],
    [
      "CODEX_HOME is a file",
      () => {
        writeFileSync(join(dir, "f"), "");
        return resolveCodexHome(undefined, { CODEX_HOME: join(dir, "f") });
      },
      "unreadable",
    ],
  ])("rejects %s", (_name, run, code) => {
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (e) {
      expect((e as ConfigError).code).toBe(code);
    }
  });
});

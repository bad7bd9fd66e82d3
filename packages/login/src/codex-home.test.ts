import { realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectLoginError } from "../test/support/capture.js";
import { makeCodexHome } from "../test/support/tmp.js";
import { authFilePath, resolveCodexHome } from "./codex-home.js";

describe("resolveCodexHome", () => {
  it("uses CODEX_HOME canonicalized", () => {
    const home = makeCodexHome();
    const link = join(makeCodexHome(), "link");
    symlinkSync(home, link);
    expect(resolveCodexHome({ env: { CODEX_HOME: link } })).toBe(realpathSync(home));
  });

  it("falls back to <home>/.codex when CODEX_HOME is unset or empty, without creating it", () => {
    expect(resolveCodexHome({ env: {}, homeDir: "/home/someone" })).toBe("/home/someone/.codex");
    expect(resolveCodexHome({ env: { CODEX_HOME: "" }, homeDir: "/h" })).toBe("/h/.codex");
    expect(authFilePath("/h/.codex")).toBe("/h/.codex/auth.json");
  });

  it("rejects a missing path, a file, and an unknown home with upstream's messages", async () => {
    const missing = join(makeCodexHome(), "missing");
    const a = await expectLoginError(
      () => resolveCodexHome({ env: { CODEX_HOME: missing } }),
      "invalid_codex_home",
    );
    expect(a.message).toBe(`CODEX_HOME points to "${missing}", but that path does not exist`);
    const file = join(makeCodexHome(), "file");
    writeFileSync(file, "");
    const b = await expectLoginError(
      () => resolveCodexHome({ env: { CODEX_HOME: file } }),
      "invalid_codex_home",
    );
    expect(b.message).toBe(`CODEX_HOME points to "${file}", but that path is not a directory`);
    await expectLoginError(() => resolveCodexHome({ env: {}, homeDir: "" }), "invalid_codex_home");
  });
});

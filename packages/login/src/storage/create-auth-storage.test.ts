import { createHash } from "node:crypto";
import { realpathSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { expectLoginError, registerSecret } from "../../test/support/capture.js";
import { makeCodexHome } from "../../test/support/tmp.js";
import { createAuthStorage } from "./create-auth-storage.js";
import { storeKeyForCodexHome } from "./store-key.js";

describe("storeKeyForCodexHome", () => {
  it("is cli| + 16 hex of SHA-256 of the canonical path", () => {
    const home = makeCodexHome();
    const link = join(makeCodexHome(), "link");
    symlinkSync(home, link);
    const expected = `cli|${createHash("sha256").update(realpathSync(home)).digest("hex").slice(0, 16)}`;
    expect(storeKeyForCodexHome(home)).toBe(expected);
    expect(storeKeyForCodexHome(link)).toBe(expected);
  });
  it("uses the raw path when it cannot be canonicalized", () => {
    const raw = "/nonexistent/codex-home";
    expect(storeKeyForCodexHome(raw)).toBe(
      `cli|${createHash("sha256").update(raw).digest("hex").slice(0, 16)}`,
    );
  });
});

describe("createAuthStorage", () => {
  it("defaults to the file store", () => {
    expect(createAuthStorage({ codexHome: makeCodexHome() }).mode).toBe("file");
  });
  it("rejects an empty home with invalid_codex_home", async () => {
    await expectLoginError(() => createAuthStorage({ codexHome: "" }), "invalid_codex_home");
  });
  it.each([
    ["unknown mode", { codexHome: "/tmp", mode: "cloud" }],
    ["zero timeout", { codexHome: "/tmp", mode: "keyring", keyringTimeoutMs: 0 }],
    ["NaN timeout", { codexHome: "/tmp", mode: "keyring", keyringTimeoutMs: Number.NaN }],
  ])("rejects %s", async (_name, options) => {
    await expectLoginError(
      () => createAuthStorage(options as Parameters<typeof createAuthStorage>[0]),
      "invalid_argument",
    );
  });
});

describe("ephemeral store", () => {
  it("is one process-wide map keyed by the Codex home", async () => {
    const home = makeCodexHome();
    const a = createAuthStorage({ codexHome: home, mode: "ephemeral" });
    const b = createAuthStorage({ codexHome: home, mode: "ephemeral" });
    const other = createAuthStorage({ codexHome: makeCodexHome(), mode: "ephemeral" });
    await a.save({ authMode: "apikey", openaiApiKey: new Secret(registerSecret("sk-eph-SECRET")) });
    expect((await b.load())?.openaiApiKey?.reveal()).toBe("sk-eph-SECRET");
    expect(await other.load()).toBeUndefined();
    expect(await b.delete()).toBe(true);
    expect(await a.load()).toBeUndefined();
    expect(await a.delete()).toBe(false);
  });
});

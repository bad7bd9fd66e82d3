import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { expectLoginError, registerSecret } from "../../test/support/capture.js";
import { makeCodexHome, readFixture } from "../../test/support/tmp.js";
import { parseAuthDotJson, serializeAuthDotJson } from "../auth-dot-json.js";
import { FileAuthStorage } from "./file-auth-storage.js";

const KEY = registerSecret("sk-file-SECRET-1");

describe("FileAuthStorage", () => {
  it("returns undefined for a missing file and false when deleting nothing", async () => {
    const storage = new FileAuthStorage(makeCodexHome());
    expect(await storage.load()).toBeUndefined();
    expect(await storage.delete()).toBe(false);
  });

  it("creates the directory 0700 and the file 0600, leaving no temp file", async () => {
    const home = join(makeCodexHome(), "nested", "codex");
    const storage = new FileAuthStorage(home);
    await storage.save({ authMode: "apikey", openaiApiKey: new Secret(KEY) });
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(storage.path).mode & 0o777).toBe(0o600);
    // the two credential lock files upstream codex also creates, empty; no temp file
    expect(readdirSync(home).sort()).toEqual(["auth.json", "auth.json.lock", "auth.lock"]);
    expect(readFileSync(join(home, "auth.lock"), "utf8")).toBe("");
    expect(readFileSync(join(home, "auth.json.lock"), "utf8")).toBe("");
    expect(readFileSync(storage.path, "utf8")).toBe(
      `{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "${KEY}"\n}`,
    );
  });

  it("tightens a pre-existing loose file and directory on save", async () => {
    const home = makeCodexHome();
    chmodSync(home, 0o755);
    writeFileSync(join(home, "auth.json"), "{}", { mode: 0o644 });
    const storage = new FileAuthStorage(home);
    await storage.save({ authMode: "apikey", openaiApiKey: new Secret(KEY) });
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(storage.path).mode & 0o777).toBe(0o600);
  });

  it("replaces the file atomically (new inode, not truncated in place)", async () => {
    const home = makeCodexHome();
    const storage = new FileAuthStorage(home);
    await storage.save({ openaiApiKey: new Secret(KEY) });
    const before = statSync(storage.path).ino;
    await storage.save({ authMode: "apikey", openaiApiKey: new Secret(KEY) });
    expect(statSync(storage.path).ino).not.toBe(before);
  });

  it("round-trips an upstream file and deletes it", async () => {
    const home = makeCodexHome();
    const text = readFixture("auth-chatgpt-upstream.json");
    writeFileSync(join(home, "auth.json"), text);
    const storage = new FileAuthStorage(home);
    const auth = await storage.load();
    await storage.save(auth!);
    expect(readFileSync(storage.path, "utf8")).toBe(text);
    expect(await storage.delete()).toBe(true);
    expect(await storage.load()).toBeUndefined();
  });

  it.each([
    "auth-0169-chatgpt-agent-identity.json",
    "auth-0169-agent-identity-mode.json",
    "auth-0169-unknown-everywhere.json",
  ])("load + save of %s (upstream 0.169's shape) writes the same bytes", async (name) => {
    const home = makeCodexHome();
    const text = readFixture(name);
    writeFileSync(join(home, "auth.json"), text);
    const storage = new FileAuthStorage(home);
    await storage.save((await storage.load())!);
    expect(readFileSync(storage.path, "utf8")).toBe(text);
  });

  it("reports a corrupt file and leaves it untouched", async () => {
    const home = makeCodexHome();
    const text = readFixture("auth-chatgpt-upstream.json").slice(0, 100);
    writeFileSync(join(home, "auth.json"), text);
    const storage = new FileAuthStorage(home);
    await expectLoginError(storage.load(), "auth_file_corrupt");
    expect(readFileSync(storage.path, "utf8")).toBe(text);
  });

  it("rejects an oversized file unread and leaves it alone", async () => {
    const home = makeCodexHome();
    const big = `{"OPENAI_API_KEY":"${"x".repeat(2 * 1024 * 1024)}"}`;
    writeFileSync(join(home, "auth.json"), big);
    await expectLoginError(new FileAuthStorage(home).load(), "auth_file_corrupt");
    expect(statSync(join(home, "auth.json")).size).toBe(big.length);
  });

  it("reports an unreadable file", async () => {
    const home = makeCodexHome();
    mkdirSync(join(home, "auth.json"));
    await expectLoginError(new FileAuthStorage(home).load(), "auth_file_unreadable");
  });

  it("reports a failed write without touching the old file", async () => {
    const home = makeCodexHome();
    const storage = new FileAuthStorage(home);
    const old = { authMode: "apikey", openaiApiKey: new Secret(KEY) } as const;
    await storage.save(old);
    writeFileSync(join(home, "blocker"), "x");
    const blocked = new FileAuthStorage(join(home, "blocker"));
    await expectLoginError(blocked.save(old), "auth_write_failed");
    expect(parseAuthDotJson(readFileSync(storage.path, "utf8")).openaiApiKey?.reveal()).toBe(KEY);
    expect(serializeAuthDotJson(old)).toBe(readFileSync(storage.path, "utf8"));
  });
});

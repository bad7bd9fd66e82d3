// Runs against the real Secret Service of the private D-Bus session that `pnpm test` starts
// (scripts/with-secret-service.sh). Without one these tests fail: they never skip.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Secret } from "@codex/wire";
import { Entry } from "@napi-rs/keyring";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { captureLogger, expectLoginError, registerSecret } from "../../test/support/capture.js";
import { makeCodexHome, readFixture } from "../../test/support/tmp.js";
import { parseAuthDotJson, serializeAuthDotJsonCompact } from "../auth-dot-json.js";
import { AuthManager } from "../auth-manager.js";
import { encodeAccessToken } from "../testing/index.js";
import type { AuthStorageWarning } from "./auth-storage.js";
import type { AutoAuthStorage } from "./auto-auth-storage.js";
import { createAuthStorage } from "./create-auth-storage.js";
import { KEYRING_SERVICE, storeKeyForCodexHome } from "./store-key.js";

const KEY = registerSecret("sk-keyring-SECRET-1");
const used: string[] = [];

function entryFor(home: string): Entry {
  const account = storeKeyForCodexHome(home);
  used.push(account);
  return new Entry(KEYRING_SERVICE, account);
}

beforeAll(() => {
  expect(
    process.env.DBUS_SESSION_BUS_ADDRESS,
    "no D-Bus session: run the suite with `pnpm --filter @codex/login test` (scripts/with-secret-service.sh)",
  ).toBeTruthy();
});

afterEach(() => {
  for (const account of used.splice(0)) new Entry(KEYRING_SERVICE, account).deletePassword();
});

describe("keyring store (real Secret Service)", () => {
  it("saves compact JSON under service 'Codex Auth' and the cli| account, then loads it", async () => {
    const home = makeCodexHome();
    const entry = entryFor(home);
    const storage = createAuthStorage({ codexHome: home, mode: "keyring" });
    const text = readFixture("auth-chatgpt-upstream.json");
    const auth = parseAuthDotJson(text);
    await storage.save(auth);
    expect(entry.getPassword()).toBe(serializeAuthDotJsonCompact(auth));
    expect(JSON.parse(entry.getPassword()!)).toEqual(JSON.parse(text));
    const loaded = await storage.load();
    expect(loaded && serializeAuthDotJsonCompact(loaded)).toBe(serializeAuthDotJsonCompact(auth));
  });

  it("removes the auth.json fallback file after a successful save, and delete removes both", async () => {
    const home = makeCodexHome();
    const entry = entryFor(home);
    writeFileSync(join(home, "auth.json"), readFixture("auth-apikey-upstream.json"));
    const storage = createAuthStorage({ codexHome: home, mode: "keyring" });
    await storage.save({ authMode: "apikey", openaiApiKey: new Secret(KEY) });
    expect(existsSync(join(home, "auth.json"))).toBe(false);
    expect(await storage.delete()).toBe(true);
    expect(entry.getPassword()).toBeNull();
    expect(await storage.load()).toBeUndefined();
    expect(await storage.delete()).toBe(false);
  });

  it("reports a corrupt keyring value as keyring_corrupt", async () => {
    const home = makeCodexHome();
    entryFor(home).setPassword("{not json");
    await expectLoginError(
      createAuthStorage({ codexHome: home, mode: "keyring" }).load(),
      "keyring_corrupt",
    );
    entryFor(home).setPassword(JSON.stringify({ auth_mode: "nope" }));
    await expectLoginError(
      createAuthStorage({ codexHome: home, mode: "keyring" }).load(),
      "keyring_corrupt",
    );
  });

  it("concurrent loads share one keyring helper process (not one per caller)", async () => {
    const home = makeCodexHome();
    entryFor(home);
    const spawned = join(home, "helper-starts.log");
    const hook = join(home, "count-helper.cjs");
    writeFileSync(
      hook,
      `require("node:fs").appendFileSync(${JSON.stringify(spawned)}, process.pid + "\\n");`,
    );
    const starts = () =>
      existsSync(spawned) ? readFileSync(spawned, "utf8").trim().split("\n").length : 0;
    const storage = createAuthStorage({
      codexHome: home,
      mode: "keyring",
      keyringEnv: { ...process.env, NODE_OPTIONS: `--require ${hook}` },
    });
    await storage.save({ authMode: "apikey", openaiApiKey: new Secret(KEY) });
    expect(starts()).toBe(1);
    const loads = await Promise.all(Array.from({ length: 50 }, () => storage.load()));
    expect(starts()).toBe(2);
    expect(new Set(loads).size).toBe(1);
    expect(loads[0]?.openaiApiKey?.reveal()).toBe(KEY);
    // after the shared read settled, the next load reads again
    await storage.load();
    expect(starts()).toBe(3);
  });

  it("auto mode uses the keyring when it works (no file written)", async () => {
    const home = makeCodexHome();
    const entry = entryFor(home);
    const { logger, records } = captureLogger();
    const storage = createAuthStorage({ codexHome: home, mode: "auto", logger });
    await storage.save({ authMode: "apikey", openaiApiKey: new Secret(KEY) });
    expect(existsSync(join(home, "auth.json"))).toBe(false);
    expect(entry.getPassword()).toContain('"auth_mode":"apikey"');
    expect((await storage.load())?.openaiApiKey?.reveal()).toBe(KEY);
    expect(records.filter((r) => r.level === "warn")).toEqual([]);
  });

  it("auto mode reads the file when the keyring has no entry", async () => {
    const home = makeCodexHome();
    entryFor(home);
    writeFileSync(join(home, "auth.json"), readFixture("auth-apikey-upstream.json"));
    const storage = createAuthStorage({ codexHome: home, mode: "auto" });
    expect((await storage.load())?.authMode).toBe("apikey");
  });

  it("keyring mode without a reachable Secret Service fails with keyring_unavailable", async () => {
    const home = makeCodexHome();
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, "no-bus")}` };
    const storage = createAuthStorage({ codexHome: home, mode: "keyring", keyringEnv: env });
    const err = await expectLoginError(
      storage.save({ authMode: "apikey", openaiApiKey: new Secret(KEY) }),
      "keyring_unavailable",
    );
    expect(err.message).toContain("failed to write OAuth tokens to keyring");
    // the library answers "no entry" when it cannot reach the store: that must not read as
    // "not logged in", nor a logout that silently left the keyring entry behind
    const loadErr = await expectLoginError(storage.load(), "keyring_unavailable");
    expect(loadErr.message).toMatch(/^failed to load CLI auth from keyring: /);
    const deleteErr = await expectLoginError(storage.delete(), "keyring_unavailable");
    expect(deleteErr.message).toMatch(/^failed to delete auth from keyring: /);
  });

  it("logout with an unreachable keyring fails typed, and the cache no longer serves host tokens", async () => {
    const home = makeCodexHome();
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, "no-bus")}` };
    const manager = await AuthManager.create({
      codexHome: home,
      storeMode: "keyring",
      keyringEnv: env,
      env: {},
    });
    expect(manager.loadError?.code).toBe("keyring_unavailable");
    await manager.loginWithChatgptAuthTokens(
      registerSecret(
        encodeAccessToken({ exp: 4_000_000_000, claims: { extra: { SECRET: "kl" } } }),
      ),
      "ws-1",
    );
    expect(manager.hasExternalAuthTokens()).toBe(true);
    await expectLoginError(manager.logout(), "keyring_unavailable");
    expect(manager.hasExternalAuthTokens()).toBe(false);
    expect(manager.authCached()).toBeUndefined();
  });

  it("auto mode falls back to the file with a warning when the keyring is unreachable", async () => {
    const home = makeCodexHome();
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, "no-bus")}` };
    const { logger, records } = captureLogger();
    const storage = createAuthStorage({ codexHome: home, mode: "auto", keyringEnv: env, logger });
    await storage.save({ authMode: "apikey", openaiApiKey: new Secret(KEY) });
    expect(readFileSync(join(home, "auth.json"), "utf8")).toContain('"auth_mode": "apikey"');
    expect(records.map((r) => r.msg).join("\n")).toContain(
      "failed to save auth to keyring, falling back to file storage",
    );
  });

  it("auto mode makes the fallback visible without a logger: onWarning and fallback", async () => {
    const home = makeCodexHome();
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, "no-bus")}` };
    const seen: AuthStorageWarning[] = [];
    const storage = createAuthStorage({
      codexHome: home,
      mode: "auto",
      keyringEnv: env,
      onWarning: (w) => seen.push(w),
    }) as AutoAuthStorage;
    expect(storage.fallback).toBeUndefined();
    await storage.save({ authMode: "apikey", openaiApiKey: new Secret(KEY) });
    expect((await storage.load())?.openaiApiKey?.reveal()).toBe(KEY);
    expect(seen.map((w) => [w.operation, w.code])).toEqual([
      ["save", "keyring_unavailable"],
      ["load", "keyring_unavailable"],
    ]);
    expect(seen[0]?.message).toMatch(
      /^failed to save auth to keyring, falling back to file storage: failed to write OAuth tokens to keyring: /,
    );
    expect(storage.fallback).toBe(seen[1]);
    expect(JSON.stringify(seen)).not.toContain(KEY);
    // a throwing listener neither breaks the store nor loses the fallback
    const throwing = createAuthStorage({
      codexHome: home,
      mode: "auto",
      keyringEnv: env,
      onWarning: () => {
        throw new Error("listener broke");
      },
    }) as AutoAuthStorage;
    expect((await throwing.load())?.authMode).toBe("apikey");
    expect(throwing.fallback?.operation).toBe("load");
    expect(() =>
      createAuthStorage({ codexHome: home, mode: "auto", onWarning: "stderr" as never }),
    ).toThrow(expect.objectContaining({ code: "invalid_argument" }));
  });

  it("AuthManager exposes the fallback right after create(); it clears once the keyring works", async () => {
    const home = makeCodexHome();
    entryFor(home);
    writeFileSync(join(home, "auth.json"), readFixture("auth-apikey-upstream.json"));
    const keyringEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, "no-bus")}`,
    };
    const seen: AuthStorageWarning[] = [];
    const manager = await AuthManager.create({
      codexHome: home,
      storeMode: "auto",
      keyringEnv,
      env: {},
      onStorageWarning: (w) => seen.push(w),
    });
    // the first load already fell back: visible without any logger
    expect(manager.authCached()?.apiAuthMode).toBe("apikey");
    expect(manager.storageFallback).toMatchObject({
      operation: "load",
      code: "keyring_unavailable",
    });
    expect(seen).toEqual([manager.storageFallback]);
    // the Secret Service is reachable again: the next keyring call works and clears the fallback
    keyringEnv.DBUS_SESSION_BUS_ADDRESS = process.env.DBUS_SESSION_BUS_ADDRESS;
    await manager.loginWithApiKey(KEY);
    expect(manager.storageFallback).toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(existsSync(join(home, "auth.json"))).toBe(false);
    expect(manager.authCached()?.getToken().reveal()).toBe(KEY);
    // other modes never report a fallback
    expect(
      (await AuthManager.create({ codexHome: home, env: {} })).storageFallback,
    ).toBeUndefined();
  });
});

// A Secret Service that never answers (a private dbus-daemon where org.freedesktop.secrets is owned
// by a client that ignores every call): keyring calls must hit the timeout, and `auto` must fall
// back to the file with a warning.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Secret } from "@codex/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthManager } from "../src/auth-manager.js";
import type { AuthStorageWarning } from "../src/storage/auth-storage.js";
import type { AutoAuthStorage } from "../src/storage/auto-auth-storage.js";
import { createAuthStorage } from "../src/storage/create-auth-storage.js";
import { captureLogger, expectLoginError, registerSecret } from "./support/capture.js";
import {
  type HangingSecretService,
  startHangingSecretService,
} from "./support/hanging-secret-service.js";
import { dbusDaemonGate } from "./support/system-services.js";
import { makeCodexHome, readFixture } from "./support/tmp.js";

const KEY = registerSecret("sk-hang-SECRET-1");
let service: HangingSecretService | undefined;
const dbusDaemon = dbusDaemonGate();

function env(): NodeJS.ProcessEnv {
  return { ...process.env, DBUS_SESSION_BUS_ADDRESS: service?.address };
}

describe.skipIf(dbusDaemon.skip)("hanging Secret Service", () => {
  beforeAll(async () => {
    dbusDaemon.check();
    service = await startHangingSecretService();
  });
  afterAll(async () => {
    await service?.stop();
  });

  it("keyring load and save time out with keyring_timeout", async () => {
    const home = makeCodexHome();
    const storage = createAuthStorage({
      codexHome: home,
      mode: "keyring",
      keyringEnv: env(),
      keyringTimeoutMs: 1000,
    });
    await expectLoginError(storage.load(), "keyring_timeout");
    await expectLoginError(
      storage.save({ authMode: "apikey", openaiApiKey: new Secret(KEY) }),
      "keyring_timeout",
    );
    expect(existsSync(join(home, "auth.json"))).toBe(false);
  });

  it("auto mode falls back to auth.json with a visible warning on load and save", async () => {
    const home = makeCodexHome();
    writeFileSync(join(home, "auth.json"), readFixture("auth-apikey-upstream.json"));
    registerSecret("sk-fixture-SECRET-apikey-1");
    const { logger, records } = captureLogger();
    const seen: AuthStorageWarning[] = [];
    const storage = createAuthStorage({
      codexHome: home,
      mode: "auto",
      keyringEnv: env(),
      keyringTimeoutMs: 1000,
      logger,
      onWarning: (w) => seen.push(w),
    }) as AutoAuthStorage;
    expect((await storage.load())?.openaiApiKey?.reveal()).toBe("sk-fixture-SECRET-apikey-1");
    await storage.save({ authMode: "apikey", openaiApiKey: new Secret(KEY) });
    expect(readFileSync(join(home, "auth.json"), "utf8")).toContain(KEY);
    // the keyring save ran (and timed out) inside the commit, as upstream's does: holding
    // auth.json.lock that long is reported on its own
    const lockWarnings = records.filter(
      (r) => r.level === "warn" && r.msg.startsWith("auth.json.lock was held too long"),
    );
    expect(lockWarnings).toHaveLength(1);
    const warnings = records
      .filter((r) => r.level === "warn" && !lockWarnings.includes(r))
      .map((r) => r.msg);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(
      "failed to load CLI auth from keyring, falling back to file storage",
    );
    expect(warnings[0]).toContain("did not answer within 1000 ms");
    expect(warnings[1]).toContain("failed to save auth to keyring, falling back to file storage");
    expect(seen.map((w) => [w.operation, w.code, w.message])).toEqual([
      ["load", "keyring_timeout", warnings[0]],
      ["save", "keyring_timeout", warnings[1]],
    ]);
    expect(storage.fallback).toBe(seen[1]);
  });

  it("an AuthManager in keyring mode starts logged out with loadError keyring_timeout", async () => {
    const home = makeCodexHome();
    const manager = await AuthManager.create({
      codexHome: home,
      storeMode: "keyring",
      keyringEnv: env(),
      keyringTimeoutMs: 500,
      env: {},
    });
    expect(manager.authCached()).toBeUndefined();
    expect(manager.loadError?.code).toBe("keyring_timeout");
  });
});

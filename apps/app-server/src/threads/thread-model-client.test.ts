import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@codex/config";
import { AuthManager } from "@codex/login";
import { silentLogger } from "@codex/wire";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { providerInfo, threadModelClientFactory } from "./thread-model-client.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "thread-model-client-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("providerInfo", () => {
  it("is the configured provider without wireApi", () => {
    expect(
      providerInfo({ name: "fake", baseUrl: "http://127.0.0.1:1/v1", wireApi: "responses" }),
    ).toEqual({ name: "fake", baseUrl: "http://127.0.0.1:1/v1" });
  });
});

describe("threadModelClientFactory", () => {
  it("makes one client per thread and reads the installation id once", async () => {
    const config = await loadConfig({ codexHome: home, env: {} });
    const auth = await AuthManager.create({ codexHome: home, storeMode: "file", env: {} });
    let loads = 0;
    const make = threadModelClientFactory({
      config,
      auth,
      originator: "o",
      userAgent: "o/1",
      sessionSource: "exec",
      cliVersion: "0.169.0",
      env: {},
      logger: silentLogger,
      loadInstallationId: async () => {
        loads++;
        return "11111111-2222-4333-8444-555555555555";
      },
    });
    const a = await make("thread-a");
    const b = await make("thread-b");
    expect(a.client).not.toBe(b.client);
    expect([a.installationId, b.installationId]).toEqual([
      "11111111-2222-4333-8444-555555555555",
      "11111111-2222-4333-8444-555555555555",
    ]);
    expect(loads).toBe(1);
    a.client.close();
    b.client.close();
  });
});

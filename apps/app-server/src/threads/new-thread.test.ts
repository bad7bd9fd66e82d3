import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { silentLogger } from "@codex/wire";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createThreadRollout, DEFAULT_THREAD_MODEL, newThreadSettings } from "./new-thread.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "new-thread-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const options = (codexHome: string) => ({
  codexHome,
  threadId: "01a246f4-9867-7db3-8818-4e7ffbd6cd7c",
  cwd: "/w",
  originator: "codex_exec",
  cliVersion: "0.169.0",
  source: "exec" as const,
  threadSource: "user" as const,
  modelProvider: "fake",
  baseInstructions: null,
  nowMs: () => Date.UTC(2026, 11, 5, 16, 6, 4),
  logger: silentLogger,
});

describe("newThreadSettings", () => {
  it("takes the params' cwd and model, else the process's cwd and the config's model", () => {
    expect(newThreadSettings({ cwd: "rel", model: "m" }, "c")).toEqual({
      cwd: resolve("rel"),
      model: "m",
    });
    expect(newThreadSettings({ cwd: "", model: null }, "c")).toEqual({
      cwd: process.cwd(),
      model: "c",
    });
    expect(newThreadSettings({}, undefined).model).toBe(DEFAULT_THREAD_MODEL);
  });

  it("refuses params that are not an object", () => {
    expect(() => newThreadSettings(null, undefined)).toThrow(
      expect.objectContaining({ code: "invalid_argument" }),
    );
  });
});

describe("createThreadRollout", () => {
  it("writes the session_meta with the thread source", async () => {
    const recorder = await createThreadRollout(options(home));
    await recorder.shutdown();
    const meta = JSON.parse(readFileSync(recorder.path, "utf8").split("\n")[0] ?? "") as {
      payload: Record<string, unknown>;
    };
    expect(meta.payload).toMatchObject({
      id: "01a246f4-9867-7db3-8818-4e7ffbd6cd7c",
      source: "exec",
      thread_source: "user",
      model_provider: "fake",
      originator: "codex_exec",
    });
  });

  it("a home that cannot hold sessions fails with rollout_failed", async () => {
    const file = join(home, "file");
    writeFileSync(file, "x");
    await expect(createThreadRollout(options(file))).rejects.toMatchObject({
      code: "rollout_failed",
    });
  });
});

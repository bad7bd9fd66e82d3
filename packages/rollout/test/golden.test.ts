import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRolloutItems, RolloutRecorder } from "../src/index.js";
import { COMPOSED_ITEMS } from "./composed-items.js";
import { validateRolloutLine } from "./schema.js";

let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "rollout-golden-"));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe("golden: the recorder writes what the reader reads and the schema accepts", () => {
  it("every variant, recorded in extended mode, reads back to the same items", async () => {
    let t = Date.UTC(2026, 4, 8, 19, 36, 2, 101);
    const rec = RolloutRecorder.create({
      codexHome: home,
      threadId: "0196b0c2-7d1e-7a3b-9c4d-5e6f70819299",
      cwd: "/srv/demo",
      cliVersion: "0.0.0",
      source: "cli",
      modelProvider: "openai",
      baseInstructions: null,
      gitInfo: async () => ({ branch: "main" }),
      eventPersistenceMode: "extended",
      now: () => t++,
    });
    await rec.recordItems(COMPOSED_ITEMS);
    await rec.shutdown();

    const text = readFileSync(rec.path, "utf8");
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    for (const line of lines) {
      expect(line).toMatch(
        /^\{"timestamp":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z","type":"[a-z_]+","payload":\{/,
      );
      const result = validateRolloutLine(JSON.parse(line));
      expect({ line, errors: result.errors }).toEqual({ line, errors: "" });
    }

    const loaded = await loadRolloutItems(rec.path);
    expect(loaded.parseErrors).toBe(0);
    expect(loaded.threadId).toBe("0196b0c2-7d1e-7a3b-9c4d-5e6f70819299");
    expect(loaded.items[0]?.payload).toMatchObject({
      git: { branch: "main" },
      timestamp: "2026-05-08T19:36:02.101Z",
    });
    expect(loaded.items.slice(1).map(({ timestamp: _t, ...item }) => item)).toEqual(COMPOSED_ITEMS);
  });
});

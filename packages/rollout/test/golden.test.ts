import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRolloutItems, type RolloutItem, RolloutRecorder } from "../src/index.js";
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

describe("golden: values upstream cannot read never reach the file", () => {
  const ts = "2026-05-08T19:36:02.140Z";
  const turnContext = {
    cwd: "/srv",
    approval_policy: "on-request",
    sandbox_policy: { type: "read-only" },
    model: "gpt-test",
    summary: "auto",
  };
  const cases: [string, string, Record<string, unknown>][] = [
    ["turn_aborted reason", "event_msg", { type: "turn_aborted", turn_id: null, reason: "bored" }],
    [
      "task_started collaboration_mode_kind",
      "event_msg",
      {
        type: "task_started",
        turn_id: "t",
        model_context_window: null,
        collaboration_mode_kind: "chaos",
      },
    ],
    [
      "tool output image detail",
      "response_item",
      {
        type: "function_call_output",
        call_id: "c",
        output: [{ type: "input_image", image_url: "data:,", detail: "ultra" }],
      },
    ],
    ["turn_context summary", "turn_context", { ...turnContext, summary: "verbose" }],
    ["turn_context approval_policy", "turn_context", { ...turnContext, approval_policy: "maybe" }],
    [
      "turn_context sandbox_policy",
      "turn_context",
      { ...turnContext, sandbox_policy: { type: "no-sandbox" } },
    ],
  ];
  it.each(cases)("%s: the schema refuses it and so does recordItems", async (_n, type, payload) => {
    expect(validateRolloutLine({ timestamp: ts, type, payload }).ok).toBe(false);
    const rec = RolloutRecorder.create({
      codexHome: home,
      cwd: "/srv",
      cliVersion: "0",
      source: "cli",
      modelProvider: null,
      baseInstructions: null,
      gitInfo: null,
    });
    const item = { type, payload } as unknown as RolloutItem;
    await expect(rec.recordItems([item])).rejects.toMatchObject({ code: "invalid_argument" });
    await rec.shutdown();
  });
});

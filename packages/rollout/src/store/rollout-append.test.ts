import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendRolloutItemToPath, loadRolloutItems } from "../index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rollout-append-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("appendRolloutItemToPath", () => {
  it("appends one whole line, starting a fresh line after a torn tail", async () => {
    const p = join(dir, "r.jsonl");
    writeFileSync(p, '{"timestamp":"t","type":"compacted","payload":{"message":"a"}}\n{"torn');
    await appendRolloutItemToPath(
      p,
      { type: "compacted", payload: { message: "b" } },
      { now: () => 0 },
    );
    expect(readFileSync(p, "utf8").split("\n").at(-2)).toBe(
      '{"timestamp":"1970-01-01T00:00:00.000Z","type":"compacted","payload":{"message":"b"}}',
    );
    const loaded = await loadRolloutItems(p);
    expect(loaded.items).toHaveLength(2);
    expect(loaded.parseErrors).toBe(1);
  });

  it.each([
    [
      "a missing file",
      () =>
        appendRolloutItemToPath(join(dir, "none.jsonl"), {
          type: "compacted",
          payload: { message: "m" },
        }),
      "file_not_found",
    ],
    [
      "a never-persisted item",
      () =>
        appendRolloutItemToPath(join(dir, "x"), {
          type: "response_item",
          payload: { type: "other", original_type: "x" },
        }),
      "invalid_argument",
    ],
  ])("rejects %s", async (_n, fn, code) => {
    await expect(fn()).rejects.toMatchObject({ name: "RolloutError", code });
  });
});

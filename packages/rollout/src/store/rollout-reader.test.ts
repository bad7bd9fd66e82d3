import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@codex/wire";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMPOSED_ITEMS, THREAD_ID } from "../../test/composed-items.js";
import {
  getRolloutHistory,
  loadRolloutItems,
  type RolloutItem,
  responseHistory,
  serializeRolloutLine,
} from "../index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rollout-read-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const TS = "2026-05-08T19:36:02.140Z";
const SPEC = readFileSync(
  new URL("../../test/fixtures/spec-example.jsonl", import.meta.url),
  "utf8",
);

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function compose(items: RolloutItem[]): string {
  return items.map((i) => serializeRolloutLine(TS, i)).join("");
}

describe("loadRolloutItems", () => {
  it("reads the spec example", async () => {
    const loaded = await loadRolloutItems(file("spec.jsonl", SPEC));
    expect(loaded.items).toHaveLength(10);
    expect(loaded.threadId).toBe("0196b0c2-7d1e-7a3b-9c4d-5e6f70819203");
    expect(loaded.parseErrors).toBe(0);
    expect(loaded.tornTail).toBe(false);
    expect(responseHistory(loaded.items).map((r) => r.type)).toEqual([
      "message",
      "reasoning",
      "function_call",
      "function_call_output",
      "message",
    ]);
  });

  it("reads a composed file of every variant back to the same items", async () => {
    const loaded = await loadRolloutItems(file("all.jsonl", compose(COMPOSED_ITEMS)));
    expect(loaded.items.map(({ timestamp: _t, ...rest }) => rest)).toEqual(COMPOSED_ITEMS);
    expect(loaded.threadId).toBe(THREAD_ID);
  });

  it("skips and counts malformed lines, keeps the complete ones around them, reports a torn tail", async () => {
    const good = SPEC.split("\n").filter((l) => l !== "");
    const text = [
      good[0],
      "",
      "   ",
      "not json",
      good[1],
      '{"timestamp":"t","type":"compacted","payload":{"message":5}}',
      `${good[2]}\r`,
      good[3]?.slice(0, 40),
    ].join("\n");
    const loaded = await loadRolloutItems(file("bad.jsonl", text));
    expect(loaded.items).toHaveLength(3);
    expect(loaded.parseErrors).toBe(3);
    expect(loaded.badLines).toEqual([4, 6, 8]);
    expect(loaded.tornTail).toBe(true);
  });

  it("ignores a UTF-8 byte order mark before the first line", async () => {
    const loaded = await loadRolloutItems(file("bom.jsonl", `\uFEFF${SPEC}`));
    expect(loaded.parseErrors).toBe(0);
    expect(loaded.threadId).toBe("0196b0c2-7d1e-7a3b-9c4d-5e6f70819203");
  });

  it("the first session_meta names the thread (a fork copies the parent's meta later)", async () => {
    const meta = COMPOSED_ITEMS[0] as Extract<RolloutItem, { type: "session_meta" }>;
    const second: RolloutItem = {
      type: "session_meta",
      payload: { ...meta.payload, id: "0196b0c2-0000-7000-8000-00000000000f" },
    };
    const loaded = await loadRolloutItems(file("fork.jsonl", compose([meta, second])));
    expect(loaded.threadId).toBe(meta.payload.id);
    expect(loaded.items).toHaveLength(2);
  });

  it("handles lines split across chunks, multi-byte characters at chunk edges and lines longer than a chunk", async () => {
    const items: RolloutItem[] = Array.from({ length: 200 }, (_, i) => ({
      type: "event_msg",
      payload: { type: "agent_message", message: `✓é😀 ${"ü".repeat(i * 3)}`, phase: null },
    }));
    const p = file("utf8.jsonl", compose(items));
    for (const chunkSize of [16, 17, 61, 4096]) {
      const loaded = await loadRolloutItems(p, { chunkSize });
      expect(loaded.parseErrors).toBe(0);
      expect(loaded.items.map((l) => l.payload)).toEqual(items.map((i) => i.payload));
    }
  });

  it("reports skipped lines to the logger by number only", async () => {
    const seen: unknown[] = [];
    await loadRolloutItems(
      file(
        "x.jsonl",
        'secret-token-abc\n{"timestamp":"t","type":"compacted","payload":{"message":"m"}}\n',
      ),
      {
        logger: { ...silentLogger, warn: (m, f) => seen.push([m, f]) },
      },
    );
    expect(JSON.stringify(seen)).not.toContain("secret");
    expect(seen).toEqual([["skipped a malformed rollout line", { line: 1 }]]);
  });

  it.each([
    [
      "missing file",
      () => loadRolloutItems(join(tmpdir(), "does-not-exist", "r.jsonl")),
      "file_not_found",
    ],
    ["empty file", () => loadRolloutItems(file("e.jsonl", "")), "empty_file"],
    ["blank-only file", () => loadRolloutItems(file("b.jsonl", "\n  \n\r\n")), "empty_file"],
    ["a directory", () => loadRolloutItems(dir), "io_error"],
    [
      "bad chunk size",
      () => loadRolloutItems(file("c.jsonl", SPEC), { chunkSize: 1 }),
      "invalid_argument",
    ],
  ])("%s → %s", async (_n, fn, code) => {
    await expect(fn()).rejects.toMatchObject({ name: "RolloutError", code });
  });
});

describe("getRolloutHistory", () => {
  it("resumes a file with a thread id", async () => {
    const p = file("spec.jsonl", SPEC);
    const h = await getRolloutHistory(p);
    expect(h.type).toBe("resumed");
    if (h.type !== "resumed") return;
    expect(h.conversationId).toBe("0196b0c2-7d1e-7a3b-9c4d-5e6f70819203");
    expect(h.rolloutPath).toBe(p);
    expect(h.history).toHaveLength(10);
  });

  it("fails with missing_thread_id without a session_meta", async () => {
    const p = file("nometa.jsonl", compose(COMPOSED_ITEMS.slice(1)));
    await expect(getRolloutHistory(p)).rejects.toMatchObject({ code: "missing_thread_id" });
  });
});

import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "./index.js";
import { rolloutPathFor } from "./store/rollout-path.js";
import { readHeadSummary } from "./store/thread-summary.js";

// Every public function that takes outside input, fed wrong inputs: a typed RolloutError (or a
// documented null), never a TypeError, and no file created.
let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "rollout-errors-"));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

const ID = "0196b0c2-7d1e-7a3b-9c4d-5e6f70819203";
// biome-ignore lint/suspicious/noExplicitAny: deliberately wrong inputs
const bad = (v: unknown): any => v;

const cases: [string, () => unknown, api.RolloutErrorCode][] = [
  ["loadRolloutItems(5)", () => api.loadRolloutItems(bad(5)), "invalid_argument"],
  ["loadRolloutItems('')", () => api.loadRolloutItems(""), "invalid_argument"],
  ["loadRolloutItems(NUL)", () => api.loadRolloutItems("a\0b"), "invalid_argument"],
  ["getRolloutHistory(null)", () => api.getRolloutHistory(bad(null)), "invalid_argument"],
  [
    "appendRolloutItemToPath(bad item)",
    () => api.appendRolloutItemToPath(join(home, "x"), bad({ type: "event_msg" })),
    "invalid_argument",
  ],
  [
    "appendRolloutItemToPath(bad path)",
    () => api.appendRolloutItemToPath(bad({}), { type: "compacted", payload: { message: "m" } }),
    "invalid_argument",
  ],
  ["listThreads(no options)", () => api.listThreads(bad(undefined)), "invalid_argument"],
  [
    "listThreads(codexHome 5)",
    () => api.listThreads(bad({ codexHome: 5, pageSize: 1 })),
    "invalid_argument",
  ],
  [
    "listThreads(sortKey)",
    () => api.listThreads(bad({ codexHome: home, pageSize: 1, sortKey: "size" })),
    "invalid_argument",
  ],
  [
    "listThreads(sortDirection)",
    () => api.listThreads(bad({ codexHome: home, pageSize: 1, sortDirection: "up" })),
    "invalid_argument",
  ],
  [
    "listThreads(allowedSources)",
    () => api.listThreads(bad({ codexHome: home, pageSize: 1, allowedSources: "cli" })),
    "invalid_argument",
  ],
  [
    "listThreads(modelProviders)",
    () => api.listThreads(bad({ codexHome: home, pageSize: 1, modelProviders: "openai" })),
    "invalid_argument",
  ],
  [
    "listThreads(searchTerm)",
    () => api.listThreads(bad({ codexHome: home, pageSize: 1, searchTerm: 3 })),
    "invalid_argument",
  ],
  [
    "listThreads(maxScanFiles)",
    () => api.listThreads(bad({ codexHome: home, pageSize: 1, maxScanFiles: 0 })),
    "invalid_argument",
  ],
  [
    "listThreads(cursor 5)",
    () => api.listThreads(bad({ codexHome: home, pageSize: 1, cursor: 5 })),
    "invalid_cursor",
  ],
  ["findThreadPathById(codexHome)", () => api.findThreadPathById(bad(1), ID), "invalid_argument"],
  [
    "findArchivedThreadPathById(codexHome)",
    () => api.findArchivedThreadPathById(bad(null), ID),
    "invalid_argument",
  ],
  ["archiveThread(codexHome)", () => api.archiveThread(bad(1), ID), "invalid_argument"],
  ["unarchiveThread(codexHome)", () => api.unarchiveThread(bad(1), ID), "invalid_argument"],
  ["appendThreadName(codexHome)", () => api.appendThreadName(bad(1), ID, "n"), "invalid_argument"],
  ["findThreadName(codexHome)", () => api.findThreadName(bad(1), ID), "invalid_argument"],
  ["findThreadNames(ids)", () => api.findThreadNames(home, bad("x")), "invalid_argument"],
  [
    "findThreadPathByName(codexHome)",
    () => api.findThreadPathByName(bad(1), "n"),
    "invalid_argument",
  ],
  ["renameThread(id)", () => api.renameThread(home, "nope", "n"), "invalid_argument"],
  ["readHeadSummary(5)", () => readHeadSummary(bad(5)), "invalid_argument"],
  ["readThreadItem('')", () => api.readThreadItem(""), "invalid_argument"],
  ["replayBundle(5)", () => api.replayBundle(bad(5)), "invalid_argument"],
  ["collectGitInfo(5)", () => api.collectGitInfo(bad(5)), "invalid_argument"],
  [
    "rolloutPathFor(bad time)",
    () => rolloutPathFor(home, ID, new Date(Number.NaN)),
    "invalid_argument",
  ],
  ["rolloutPathFor(codexHome)", () => rolloutPathFor(bad(1), ID, new Date()), "invalid_argument"],
  [
    "RolloutRecorder.resume(no path)",
    () => api.RolloutRecorder.resume(bad({})),
    "invalid_argument",
  ],
  ["parseThreadCursor(undefined)", () => api.parseThreadCursor(bad(undefined)), "invalid_cursor"],
  [
    "parseRolloutLine(truncated)",
    () => api.parseRolloutLineText('{"timestamp":"t","type":"compacted","payload":{"mess'),
    "invalid_line",
  ],
  [
    "serializeRolloutLine(bad type)",
    () => api.serializeRolloutLine("t", bad({ type: "nope", payload: {} })),
    "invalid_argument",
  ],
];

describe("bad input to every public entry point", () => {
  it.each(cases)("%s → %s", async (_name, call, code) => {
    let caught: unknown;
    try {
      await call();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(api.RolloutError);
    expect((caught as api.RolloutError).code).toBe(code);
    expect(readdirSync(home)).toEqual([]);
  });

  it("recordItems rejects a malformed item without queuing anything", async () => {
    const rec = api.RolloutRecorder.create({
      codexHome: home,
      cwd: "/srv",
      cliVersion: "0",
      source: "cli",
      modelProvider: null,
      baseInstructions: null,
      gitInfo: null,
    });
    const good: api.RolloutItem = { type: "compacted", payload: { message: "ok" } };
    for (const item of [
      bad({ type: "event_msg", payload: { type: "agent_reasoning" } }),
      bad({ type: "response_item", payload: { type: "message", role: "user", content: "x" } }),
      bad({ type: "event_msg" }),
      bad(null),
      bad({ type: "what" }),
    ]) {
      await expect(rec.recordItems([good, item])).rejects.toMatchObject({
        code: "invalid_argument",
      });
    }
    await rec.shutdown();
    expect(readdirSync(home)).toEqual([]);
  });
});

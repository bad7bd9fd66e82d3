import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idFor, writeSession } from "../../test/session-files.js";
import { listThreads, parseThreadCursor, RolloutError, type ThreadsPage } from "../index.js";

const BASE = Date.UTC(2026, 0, 30, 23, 0, 0);
let home: string;
/** Visible threads, newest first by (time, id). */
let expected: string[] = [];

async function pageAll(
  opts: Parameters<typeof listThreads>[0],
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  for (;;) {
    const page: ThreadsPage = await listThreads({ ...opts, cursor });
    pages++;
    ids.push(...page.items.map((i) => i.threadId));
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  return { ids, pages };
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "rollout-list-"));
  const all: { t: number; id: string; visible: boolean }[] = [];
  // 3000 sessions over ~5 days; three share each second so the uuid tie-break matters.
  for (let i = 0; i < 3000; i++) {
    const t = BASE - Math.floor(i / 3) * 7 * 60_000;
    const id = idFor(i * 7 + 1);
    const visible = i % 10 !== 5;
    writeSession(home, { timeMs: t, id, userMessage: visible ? undefined : null });
    all.push({ t, id, visible });
  }
  // Non-rollout clutter the walk must ignore.
  mkdirSync(join(home, "sessions", "notayear"), { recursive: true });
  writeFileSync(join(home, "sessions", "2026", "01", "30", "notes.txt"), "x");
  writeFileSync(join(home, "sessions", "2026", "01", "30", "rollout-garbage.jsonl"), "x");
  expected = all
    .filter((a) => a.visible)
    .sort((a, b) => b.t - a.t || (a.id < b.id ? 1 : -1))
    .map((a) => a.id);
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe("listThreads over thousands of files", () => {
  it("pages newest first with no duplicates and no gaps", async () => {
    const { ids, pages } = await pageAll({ codexHome: home, pageSize: 97 });
    expect(ids).toHaveLength(2700);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expected);
    expect(pages).toBe(Math.ceil(2700 / 97));
  });

  it("fills the first page with full summaries", async () => {
    const page = await listThreads({ codexHome: home, pageSize: 3 });
    expect(page.items).toHaveLength(3);
    const first = page.items[0];
    expect(first).toMatchObject({
      threadId: expected[0],
      firstUserMessage: `task for ${expected[0]}`,
      cwd: "/srv",
      gitBranch: "main",
      gitSha: "abc",
      gitOriginUrl: "https://example.invalid/r",
      source: "cli",
      modelProvider: "openai",
      cliVersion: "0.0.0",
      createdAt: new Date(BASE).toISOString(),
    });
    expect(first?.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(page.nextCursor).toBe(`2026-01-30T23:00:00Z|${page.items[2]?.threadId}`);
  });

  it("new sessions never shift later pages", async () => {
    const first = await listThreads({ codexHome: home, pageSize: 50 });
    const newer = writeSession(home, { timeMs: BASE + 60_000, id: idFor(999_999) });
    try {
      const second = await listThreads({ codexHome: home, pageSize: 50, cursor: first.nextCursor });
      expect(second.items.map((i) => i.threadId)).toEqual(expected.slice(50, 100));
    } finally {
      rmSync(newer);
    }
  });

  it("pages oldest first with sortDirection asc", async () => {
    const { ids } = await pageAll({ codexHome: home, pageSize: 500, sortDirection: "asc" });
    expect(ids).toEqual([...expected].reverse());
  });

  it("sets reachedScanCap and returns a cursor to continue", async () => {
    const page = await listThreads({ codexHome: home, pageSize: 100, maxScanFiles: 20 });
    expect(page.reachedScanCap).toBe(true);
    expect(page.numScannedFiles).toBe(20);
    expect(page.items.length).toBe(18);
    expect(page.nextCursor).not.toBeNull();
    const next = await listThreads({ codexHome: home, pageSize: 5, cursor: page.nextCursor });
    expect(next.items.map((i) => i.threadId)).toEqual(expected.slice(18, 23));
  });
});

describe("listThreads filters and head rules", () => {
  let h: string;
  const T = Date.UTC(2026, 4, 8, 12, 0, 0);
  beforeAll(() => {
    h = mkdtempSync(join(tmpdir(), "rollout-filter-"));
    writeSession(h, { timeMs: T, id: idFor(1), source: "cli", provider: "openai" });
    writeSession(h, { timeMs: T + 1000, id: idFor(2), source: "vscode", provider: null });
    writeSession(h, { timeMs: T + 2000, id: idFor(3), source: "exec", provider: "oss" });
    writeSession(h, {
      timeMs: T + 3000,
      id: idFor(4),
      source: { subagent: "review" },
      provider: "openai",
      userMessage: "<env>…</env>\n## My request for Codex:\n  fix the bug  ",
    });
    const filler = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({
        timestamp: "2026-05-08T12:00:00.000Z",
        type: "event_msg",
        payload: { type: "agent_reasoning", text: `r${i}` },
      }),
    );
    // user message beyond 10 lines after the meta: still found (extended scan)
    writeSession(h, { timeMs: T + 4000, id: idFor(5), linesBeforeUser: filler });
    // meta only after 10 bad lines: not found → hidden
    writeSession(h, {
      timeMs: T + 5000,
      id: idFor(6),
      linesBeforeMeta: Array.from({ length: 10 }, () => "garbage"),
    });
    // user message beyond 210 lines: hidden
    const many = Array.from({ length: 215 }, () => filler[0] as string);
    writeSession(h, { timeMs: T + 6000, id: idFor(7), linesBeforeUser: many });
    // response_item before the meta supplies created_at
    writeSession(h, {
      timeMs: T + 7000,
      id: idFor(8),
      linesBeforeMeta: [
        JSON.stringify({
          timestamp: "2026-05-08T11:59:59.500Z",
          type: "response_item",
          payload: { type: "message", role: "user", content: [] },
        }),
      ],
    });
  });
  afterAll(() => {
    rmSync(h, { recursive: true, force: true });
  });

  const ids = async (o: Partial<Parameters<typeof listThreads>[0]>) =>
    (await listThreads({ codexHome: h, pageSize: 50, ...o })).items.map((i) => i.threadId);

  it("hides threads without a meta and user message within the head limits", async () => {
    expect(await ids({})).toEqual([idFor(8), idFor(5), idFor(4), idFor(3), idFor(2), idFor(1)]);
  });

  it("uses a response_item line timestamp seen before the meta as created_at", async () => {
    const page = await listThreads({ codexHome: h, pageSize: 1 });
    expect(page.items[0]?.createdAt).toBe("2026-05-08T11:59:59.500Z");
  });

  it("filters by source", async () => {
    expect(await ids({ allowedSources: ["cli", "vscode"] })).toEqual([
      idFor(8),
      idFor(5),
      idFor(2),
      idFor(1),
    ]);
    expect(await ids({ allowedSources: [{ subagent: "review" }] })).toEqual([idFor(4)]);
  });

  it("filters by provider; a meta without provider counts as the default", async () => {
    expect(await ids({ modelProviders: ["oss"] })).toEqual([idFor(3)]);
    expect(await ids({ modelProviders: ["openai"] })).toEqual([
      idFor(8),
      idFor(5),
      idFor(4),
      idFor(2),
      idFor(1),
    ]);
    expect(await ids({ modelProviders: ["oss"], defaultProvider: "oss" })).toEqual([
      idFor(3),
      idFor(2),
    ]);
  });

  it("strips the harness prefix from the first user message and searches it", async () => {
    const page = await listThreads({ codexHome: h, pageSize: 50, searchTerm: "fix the" });
    expect(page.items.map((i) => [i.threadId, i.firstUserMessage])).toEqual([
      [idFor(4), "fix the bug"],
    ]);
  });

  it("sorts by updated_at (mtime, whole seconds) with cursors", async () => {
    const base = Date.UTC(2026, 5, 1) / 1000;
    const order = [idFor(2), idFor(8), idFor(1), idFor(5), idFor(3), idFor(4)];
    const page0 = await listThreads({ codexHome: h, pageSize: 50 });
    order.forEach((id, i) => {
      const item = page0.items.find((it) => it.threadId === id);
      utimesSync(item?.path as string, base - i * 10, base - i * 10);
    });
    const { ids: got } = await pageAll({ codexHome: h, pageSize: 4, sortKey: "updated_at" });
    expect(got).toEqual(order);
    const p = await listThreads({ codexHome: h, pageSize: 1, sortKey: "updated_at" });
    expect(p.items[0]?.updatedAt).toBe(new Date(base * 1000).toISOString().replace(".000Z", "Z"));
    expect(p.nextCursor).toBe(`${p.items[0]?.updatedAt}|${idFor(2)}`);
  });

  it("lists archived_sessions when asked", async () => {
    writeSession(h, { timeMs: T, id: idFor(42), archived: true });
    expect(await ids({ archived: true })).toEqual([idFor(42)]);
  });

  it.each([
    ["bad cursor", { cursor: "nope" }, "invalid_cursor"],
    ["cursor with bad id", { cursor: "2026-01-01T00:00:00Z|x" }, "invalid_cursor"],
    ["cursor with bad time", { cursor: `yesterday|${idFor(1)}` }, "invalid_cursor"],
    ["zero page size", { pageSize: 0 }, "invalid_argument"],
    ["fractional page size", { pageSize: 1.5 }, "invalid_argument"],
    ["empty home", { codexHome: "" }, "invalid_argument"],
  ])("rejects %s", async (_n, o, code) => {
    await expect(listThreads({ codexHome: h, pageSize: 5, ...o })).rejects.toMatchObject({ code });
  });

  it("accepts legacy cursor timestamps as UTC", () => {
    expect(parseThreadCursor(`2026-05-08T12-00-01|${idFor(1)}`)).toEqual({
      timeMs: T + 1000,
      threadId: idFor(1),
    });
    expect(() => parseThreadCursor("")).toThrow(RolloutError);
    for (const ts of ["2026-13-45T99-99-99", "2026-02-30T12-00-00", "2026-02-30T12:00:00Z"]) {
      expect(() => parseThreadCursor(`${ts}|${idFor(1)}`)).toThrow(RolloutError);
    }
  });

  it("an empty or missing home lists nothing", async () => {
    const page = await listThreads({ codexHome: join(h, "missing"), pageSize: 5 });
    expect(page).toEqual({
      items: [],
      nextCursor: null,
      numScannedFiles: 0,
      reachedScanCap: false,
    });
  });
});

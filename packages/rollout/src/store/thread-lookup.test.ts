import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { idFor, writeSession } from "../../test/session-files.js";
import { findArchivedThreadPathById, findLatestThreadPath, findThreadPathById } from "../index.js";

let home: string;
const T = Date.UTC(2026, 4, 8, 12, 0, 0);
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "rollout-lookup-"));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

describe("lookup", () => {
  it("finds a live thread by id; non-UUID ids find nothing", async () => {
    const p = writeSession(home, { timeMs: T, id: idFor(1) });
    writeSession(home, { timeMs: T + 1000, id: idFor(2) });
    expect(await findThreadPathById(home, idFor(1))).toBe(p);
    expect(await findThreadPathById(home, idFor(1).toUpperCase())).toBe(p);
    expect(await findThreadPathById(home, idFor(3))).toBeNull();
    expect(await findThreadPathById(home, "../etc")).toBeNull();
    expect(await findArchivedThreadPathById(home, idFor(1))).toBeNull();
  });

  it("finds the latest thread, optionally by the cwd of its last turn_context", async () => {
    const a = writeSession(home, { timeMs: T, id: idFor(1), cwd: "/work/a" });
    const b = writeSession(home, {
      timeMs: T + 1000,
      id: idFor(2),
      cwd: "/work/a",
      linesBeforeUser: [
        JSON.stringify({
          timestamp: "2026-05-08T12:00:01.000Z",
          type: "turn_context",
          payload: {
            cwd: "/work/b",
            approval_policy: "never",
            sandbox_policy: { type: "read-only" },
            model: "m",
            summary: "auto",
          },
        }),
      ],
    });
    expect(await findLatestThreadPath(home)).toBe(b);
    expect(await findLatestThreadPath(home, { filterCwd: "/work/b/" })).toBe(b);
    expect(await findLatestThreadPath(home, { filterCwd: "/work/a" })).toBe(a);
    expect(await findLatestThreadPath(home, { filterCwd: "/elsewhere" })).toBeNull();
    await expect(findLatestThreadPath("")).rejects.toMatchObject({ code: "invalid_argument" });
  });
});

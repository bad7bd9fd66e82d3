import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { idFor, writeSession } from "../../test/session-files.js";
import { archiveThread, findArchivedThreadPathById, unarchiveThread } from "../index.js";

let home: string;
const T = Date.UTC(2026, 4, 8, 12, 0, 0);
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "rollout-arch-"));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

describe("archive / unarchive", () => {
  it("moves the file into archived_sessions and back, touching mtime", async () => {
    const p = writeSession(home, { timeMs: T, id: idFor(7) });
    const archived = await archiveThread(home, idFor(7));
    expect(archived).toBe(join(home, "archived_sessions", p.split("/").pop() as string));
    expect(existsSync(p)).toBe(false);
    expect(await findArchivedThreadPathById(home, idFor(7))).toBe(archived);

    const now = Date.UTC(2026, 6, 1, 0, 0, 0);
    const back = await unarchiveThread(home, idFor(7), { now: () => now });
    expect(back.path).toBe(p);
    expect(statSync(p).mtimeMs).toBe(now);
    expect(back.item).toMatchObject({ threadId: idFor(7), updatedAt: "2026-07-01T00:00:00Z" });
    expect(existsSync(archived)).toBe(false);
  });

  it("two concurrent archives of one thread: one moves it, the other is told it is gone", async () => {
    const p = writeSession(home, { timeMs: T, id: idFor(9) });
    const content = readFileSync(p, "utf8");
    const results = await Promise.allSettled([
      archiveThread(home, idFor(9)),
      archiveThread(home, idFor(9)),
    ]);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({ code: "thread_not_found" });
    expect(existsSync(p)).toBe(false);
    const archived = await findArchivedThreadPathById(home, idFor(9));
    expect(archived).not.toBeNull();
    expect(readFileSync(archived as string, "utf8")).toBe(content);
  });

  it("never overwrites a file already at the destination (archive or unarchive)", async () => {
    const p = writeSession(home, { timeMs: T, id: idFor(8) });
    const name = p.split("/").pop() as string;
    const archivedPath = join(home, "archived_sessions", name);
    mkdirSync(join(home, "archived_sessions"));
    writeFileSync(archivedPath, "older archived copy\n");
    await expect(archiveThread(home, idFor(8))).rejects.toMatchObject({ code: "already_exists" });
    expect(readFileSync(archivedPath, "utf8")).toBe("older archived copy\n");
    expect(existsSync(p)).toBe(true);

    copyFileSync(p, archivedPath);
    await expect(unarchiveThread(home, idFor(8))).rejects.toMatchObject({ code: "already_exists" });
    expect(existsSync(archivedPath)).toBe(true);
    expect(existsSync(p)).toBe(true);
  });

  it.each([
    ["archive a non-UUID", () => archiveThread(home, "nope"), "invalid_argument"],
    ["archive an unknown thread", () => archiveThread(home, idFor(99)), "thread_not_found"],
    ["unarchive a non-UUID", () => unarchiveThread(home, "nope"), "invalid_argument"],
    ["unarchive an unknown thread", () => unarchiveThread(home, idFor(99)), "thread_not_found"],
  ])("%s fails with %s", async (_n, fn, code) => {
    await expect(fn()).rejects.toMatchObject({ name: "RolloutError", code });
  });
});

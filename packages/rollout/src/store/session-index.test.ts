import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { idFor, writeSession } from "../../test/session-files.js";
import {
  appendThreadName,
  findThreadName,
  findThreadNames,
  findThreadPathByName,
  loadRolloutItems,
  renameThread,
} from "../index.js";
import { SESSION_INDEX_FILE } from "./session-index.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "rollout-index-"));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

describe("session_index.jsonl", () => {
  it("appends lines and the newest name wins", async () => {
    const e = await appendThreadName(home, idFor(1), "first", {
      now: () => Date.UTC(2026, 4, 8, 1, 2, 3, 456),
    });
    expect(e).toEqual({ id: idFor(1), thread_name: "first", updated_at: "2026-05-08T01:02:03Z" });
    await appendThreadName(home, idFor(2), "other");
    await appendThreadName(home, idFor(1), "second");
    expect(await findThreadName(home, idFor(1))).toBe("second");
    expect(await findThreadName(home, idFor(2))).toBe("other");
    expect(await findThreadName(home, idFor(3))).toBeNull();
    expect(await findThreadName(join(home, "none"), idFor(1))).toBeNull();
  });

  it("reads backwards across 8 KiB chunks, skipping bad, CRLF and blank lines", async () => {
    const file = join(home, SESSION_INDEX_FILE);
    appendFileSync(
      file,
      `${JSON.stringify({ id: idFor(1), thread_name: "oldest", updated_at: "x" })}\n`,
    );
    for (let i = 0; i < 400; i++) {
      appendFileSync(
        file,
        `${JSON.stringify({ id: idFor(1000 + i), thread_name: "n".repeat(i % 50), updated_at: "x" })}\r\n`,
      );
      if (i % 37 === 0) appendFileSync(file, "garbage\n\n");
    }
    appendFileSync(file, Buffer.from([0xff, 0xfe, 0x0a]));
    expect(await findThreadName(home, idFor(1))).toBe("oldest");
    expect(await findThreadName(home, idFor(1399))).toBe("n".repeat(399 % 50));
  });

  it("batch lookup trims, ignores empty names, last wins", async () => {
    await appendThreadName(home, idFor(1), "  a  ");
    await appendThreadName(home, idFor(2), "b");
    await appendThreadName(home, idFor(2), "   ");
    await appendThreadName(home, idFor(1), "c");
    const names = await findThreadNames(home, [idFor(1), idFor(2), idFor(3)]);
    expect([...names.entries()]).toEqual([
      [idFor(1), "c"],
      [idFor(2), "b"],
    ]);
  });

  it("by-name lookup matches only each id's latest name and needs a readable rollout", async () => {
    const T = Date.UTC(2026, 4, 8);
    const p1 = writeSession(home, { timeMs: T, id: idFor(1) });
    writeSession(home, { timeMs: T + 1000, id: idFor(2) });
    await appendThreadName(home, idFor(1), "demo");
    await appendThreadName(home, idFor(2), "demo");
    await appendThreadName(home, idFor(2), "renamed");
    await appendThreadName(home, idFor(3), "demo"); // no rollout file
    expect(await findThreadPathByName(home, "demo")).toEqual({ threadId: idFor(1), path: p1 });
    expect(await findThreadPathByName(home, "renamed")).toMatchObject({ threadId: idFor(2) });
    expect(await findThreadPathByName(home, "  ")).toBeNull();
    expect(await findThreadPathByName(home, "nothing")).toBeNull();
  });

  it("renameThread writes the index and a thread_name_updated event into the rollout", async () => {
    const p = writeSession(home, { timeMs: Date.UTC(2026, 4, 8), id: idFor(1) });
    const r = await renameThread(home, idFor(1), "new name");
    expect(r.rolloutUpdated).toBe(true);
    expect(await findThreadName(home, idFor(1))).toBe("new name");
    const last = (await loadRolloutItems(p)).items.at(-1);
    expect(last?.payload).toEqual({
      type: "thread_name_updated",
      thread_id: idFor(1),
      thread_name: "new name",
    });
    expect((await renameThread(home, idFor(2), "x")).rolloutUpdated).toBe(false);
  });

  it("rejects bad input", async () => {
    await expect(appendThreadName(home, "x", "n")).rejects.toMatchObject({
      code: "invalid_argument",
    });
    await expect(appendThreadName(home, idFor(1), 5 as unknown as string)).rejects.toMatchObject({
      code: "invalid_argument",
    });
    await expect(
      appendThreadName(join(home, "missing", "dir"), idFor(1), "n"),
    ).rejects.toMatchObject({ code: "io_error" });
  });
});

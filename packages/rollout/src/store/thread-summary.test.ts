import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatRfc3339Seconds as rfc3339Seconds } from "@codex/wire";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { idFor, writeSession } from "../../test/session-files.js";
import { readThreadItem } from "../index.js";
import { readHeadSummary, stripUserMessagePrefix } from "./thread-summary.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rollout-head-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("head summary", () => {
  it("strips everything through the request marker", () => {
    expect(stripUserMessagePrefix("ctx\n## My request for Codex:\n do it \n")).toBe("do it");
    expect(stripUserMessagePrefix("  plain  ")).toBe("plain");
  });

  it("formats RFC 3339 in whole seconds", () => {
    expect(rfc3339Seconds(Date.UTC(2026, 4, 8, 1, 2, 3, 999))).toBe("2026-05-08T01:02:03Z");
  });

  it("skips empty user messages when picking the first one", () => {
    const p = writeSession(dir, {
      timeMs: Date.UTC(2026, 4, 8),
      id: idFor(1),
      linesBeforeUser: [
        JSON.stringify({
          timestamp: "t",
          type: "event_msg",
          payload: { type: "user_message", message: "## My request for Codex:   " },
        }),
      ],
      userMessage: "real one",
    });
    return readHeadSummary(p).then((s) => {
      expect(s.sawUserMessage).toBe(true);
      expect(s.firstUserMessage).toBe("real one");
      expect(s.meta?.id).toBe(idFor(1));
    });
  });

  it("reads a head whose lines are longer than the read buffer", async () => {
    const p = writeSession(dir, {
      timeMs: Date.UTC(2026, 4, 8),
      id: idFor(2),
      userMessage: "x".repeat(100_000),
    });
    expect((await readHeadSummary(p)).firstUserMessage).toHaveLength(100_000);
  });

  it("gives an empty summary for unreadable or foreign files, and hides them", async () => {
    expect(await readHeadSummary(join(dir, "missing"))).toEqual({
      meta: undefined,
      createdAt: undefined,
      firstUserMessage: undefined,
      sawUserMessage: false,
    });
    const junk = join(dir, "junk.jsonl");
    writeFileSync(junk, "\u0000\u0001 binary\n{}\n");
    expect(await readThreadItem(junk)).toBeNull();
    expect(await readThreadItem(dir)).toBeNull();
  });
});

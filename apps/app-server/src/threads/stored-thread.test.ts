import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseRolloutLine } from "@codex/rollout";
import { silentLogger } from "@codex/wire";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStoredThread, storedThreadFacts } from "./stored-thread.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "stored-thread-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const line = (type: string, payload: unknown) =>
  parseRolloutLine({ timestamp: "2026-12-05T16:06:05.018Z", type, payload });

describe("storedThreadFacts", () => {
  it("reads cwd, creation time, preview, last model, history and usage", () => {
    const facts = storedThreadFacts({
      sessionMeta: {
        id: "t",
        timestamp: "2026-12-05T16:06:04.685Z",
        cwd: "/w",
        originator: "o",
        cli_version: "0.169.0",
        source: "exec",
        model_provider: "fake",
        base_instructions: null,
      } as never,
      items: [
        line("event_msg", { type: "user_message", message: "first", images: null }),
        line("turn_context", {
          cwd: "/w",
          approval_policy: "never",
          sandbox_policy: { type: "read-only" },
          model: "gpt-a",
          summary: "none",
        }),
        line("response_item", {
          type: "message",
          role: "user",
          content: [{ type: "input_text", text: "first" }],
        }),
        line("event_msg", { type: "user_message", message: "second", images: null }),
        line("turn_context", {
          cwd: "/w",
          approval_policy: "never",
          sandbox_policy: { type: "read-only" },
          model: "gpt-b",
          summary: "none",
        }),
        line("event_msg", {
          type: "token_count",
          info: { total_token_usage: { input_tokens: 7, total_tokens: 7 } },
          rate_limits: null,
        }),
      ],
    });
    expect(facts).toMatchObject({
      cwd: "/w",
      createdAt: Math.floor(Date.UTC(2026, 11, 5, 16, 6, 4) / 1000),
      preview: "first",
      lastModel: "gpt-b",
      historyMode: "legacy",
      history: [
        { type: "message", role: "user", content: [{ type: "input_text", text: "first" }] },
      ],
      tokenUsage: { input_tokens: 7, total_tokens: 7, output_tokens: 0 },
    });
  });

  it("has no facts of a rollout without meta or lines", () => {
    expect(storedThreadFacts({ sessionMeta: undefined, items: [] })).toEqual({
      cwd: undefined,
      createdAt: undefined,
      preview: "",
      lastModel: undefined,
      historyMode: "legacy",
      history: [],
      tokenUsage: undefined,
    });
  });
});

describe("openStoredThread", () => {
  it("refuses an unknown thread with thread_not_found", async () => {
    await expect(
      openStoredThread(home, "01a246f9-0000-7000-8000-000000000000", Date.now, silentLogger),
    ).rejects.toMatchObject({ code: "thread_not_found" });
  });
});

import { describe, expect, it } from "vitest";
import {
  type EventMsg,
  isPersistedRolloutItem,
  type OtherEventMsgType,
  type RolloutItem,
} from "../index.js";
import { truncateMiddle } from "../internal/truncate-middle.js";
import {
  filterPersistedItems,
  isPersistedEventMsg,
  PERSISTED_EXEC_AGGREGATED_OUTPUT_MAX_BYTES,
} from "./persistence-policy.js";

const other = (type: OtherEventMsgType, fields = {}): EventMsg => ({ type, fields });

describe("persistence policy", () => {
  it("always keeps meta, turn context, compacted and known response items", () => {
    const always: RolloutItem[] = [
      { type: "compacted", payload: { message: "m" } },
      {
        type: "turn_context",
        payload: {
          cwd: "/",
          approval_policy: "never",
          sandbox_policy: { type: "read-only" },
          model: "m",
          summary: "auto",
        },
      },
      { type: "response_item", payload: { type: "compaction", encrypted_content: "e" } },
    ];
    for (const item of always) {
      expect(isPersistedRolloutItem(item, "limited")).toBe(true);
    }
    expect(
      isPersistedRolloutItem(
        { type: "response_item", payload: { type: "other", original_type: "x" } },
        "extended",
      ),
    ).toBe(false);
  });

  it.each([
    ["user_message", true, true],
    ["agent_message", true, true],
    ["token_count", true, true],
    ["turn_aborted", true, true],
    ["undo_completed", true, true],
    ["image_generation_end", true, true],
    ["error", false, true],
    ["exec_command_end", false, true],
    ["patch_apply_end", false, true],
    ["mcp_tool_call_end", false, true],
    ["dynamic_tool_call_response", false, true],
    ["agent_message_delta", false, false],
    ["exec_command_begin", false, false],
    ["session_configured", false, false],
    ["warning", false, false],
  ] as const)("%s: limited=%s extended=%s", (type, limited, extended) => {
    const e: EventMsg =
      type === "user_message"
        ? { type, message: "", images: null, local_images: [], text_elements: [] }
        : type === "agent_message"
          ? { type, message: "", phase: null }
          : type === "token_count"
            ? { type, info: null, rate_limits: null }
            : type === "turn_aborted"
              ? { type, turn_id: null, reason: "interrupted" }
              : type === "undo_completed"
                ? { type, success: true, message: null }
                : type === "image_generation_end"
                  ? {
                      type,
                      call_id: "c",
                      status: "s",
                      revised_prompt: null,
                      result: "r",
                      saved_path: null,
                    }
                  : other(type);
    expect(isPersistedEventMsg(e, "limited")).toBe(limited);
    expect(isPersistedEventMsg(e, "extended")).toBe(extended);
  });

  it("keeps item_completed only for plan items", () => {
    const completed = (type: string): EventMsg => ({
      type: "item_completed",
      thread_id: "t",
      turn_id: "u",
      item: { type, id: "i" },
    });
    expect(isPersistedEventMsg(completed("Plan"), "limited")).toBe(true);
    expect(isPersistedEventMsg(completed("AgentMessage"), "extended")).toBe(false);
  });

  it("trims exec_command_end in extended mode without mutating the input", () => {
    const fields = {
      stdout: "o",
      stderr: "e",
      formatted_output: "f",
      aggregated_output: "é".repeat(20_000),
    };
    const item: RolloutItem = { type: "event_msg", payload: other("exec_command_end", fields) };
    const [kept] = filterPersistedItems([item], "extended");
    if (kept === undefined) throw new Error("exec_command_end should be kept");
    const f = (kept.payload as { fields: Record<string, string> }).fields;
    expect(f.stdout).toBe("");
    expect(f.stderr).toBe("");
    expect(f.formatted_output).toBe("");
    expect(Buffer.byteLength(f.aggregated_output ?? "")).toBeLessThanOrEqual(
      PERSISTED_EXEC_AGGREGATED_OUTPUT_MAX_BYTES,
    );
    expect(f.aggregated_output?.startsWith("éé")).toBe(true);
    expect(f.aggregated_output?.endsWith("éé")).toBe(true);
    expect(fields.stdout).toBe("o");
    expect(filterPersistedItems([item], "limited")).toEqual([]);
  });

  it("truncateMiddle leaves short strings alone", () => {
    expect(truncateMiddle("abc", 10)).toBe("abc");
    expect(truncateMiddle("a".repeat(100), 40)).toMatch(/^a+…\d+ bytes truncated…a+$/);
  });
});

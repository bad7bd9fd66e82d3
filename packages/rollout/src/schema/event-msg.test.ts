import { describe, expect, it } from "vitest";
import { type EventMsg, isOtherEventMsg, RolloutError } from "../index.js";
import { parseEventMsg, serializeEventMsg } from "./event-msg.js";

describe("EventMsg codec", () => {
  const cases: [string, unknown, EventMsg, unknown][] = [
    [
      "user_message (defaults)",
      { type: "user_message", message: "m" },
      { type: "user_message", message: "m", images: null, local_images: [], text_elements: [] },
      { type: "user_message", message: "m", images: null, local_images: [], text_elements: [] },
    ],
    [
      "agent_message without a phase",
      { type: "agent_message", message: "m" },
      { type: "agent_message", message: "m", phase: null },
      { type: "agent_message", message: "m", phase: null },
    ],
    [
      "token_count",
      { type: "token_count", info: null },
      { type: "token_count", info: null, rate_limits: null },
      { type: "token_count", info: null, rate_limits: null },
    ],
    [
      "thread_name_updated without a name",
      { type: "thread_name_updated", thread_id: "t" },
      { type: "thread_name_updated", thread_id: "t" },
      { type: "thread_name_updated", thread_id: "t" },
    ],
    [
      "turn_aborted without a turn",
      { type: "turn_aborted", reason: "replaced" },
      { type: "turn_aborted", turn_id: null, reason: "replaced" },
      { type: "turn_aborted", turn_id: null, reason: "replaced" },
    ],
    [
      "an event kept as fields",
      { type: "exec_command_end", call_id: "c", exit_code: 1 },
      { type: "exec_command_end", fields: { call_id: "c", exit_code: 1 } },
      { type: "exec_command_end", call_id: "c", exit_code: 1 },
    ],
  ];

  it.each(cases)("%s", (_n, wire, typed, written) => {
    const parsed = parseEventMsg(wire);
    expect(parsed).toEqual(typed);
    expect(serializeEventMsg(parsed)).toEqual(written);
  });

  it("tells field-only events apart", () => {
    expect(isOtherEventMsg(parseEventMsg({ type: "error", message: "x" }))).toBe(true);
    expect(isOtherEventMsg(parseEventMsg({ type: "context_compacted" }))).toBe(false);
  });

  it("a stray type key among untyped fields never replaces the event's tag", () => {
    const wire = serializeEventMsg({
      type: "warning",
      fields: { type: "agent_message", message: "m" },
    });
    expect(wire).toEqual({ type: "warning", message: "m" });
    expect(Object.keys(wire)[0]).toBe("type");
  });

  it("keeps an event type it does not know (issue 12: never a parse error) and writes it back", () => {
    const wire = { type: "brand_new_event", turn_id: "t", detail: { a: [1, null] } };
    const parsed = parseEventMsg(wire);
    expect(parsed).toEqual({
      type: "unknown",
      original_type: "brand_new_event",
      fields: { turn_id: "t", detail: { a: [1, null] } },
    });
    expect(isOtherEventMsg(parsed)).toBe(true);
    expect(JSON.stringify(serializeEventMsg(parsed))).toBe(JSON.stringify(wire));
  });

  it("keeps keys a typed event does not declare, after the known ones", () => {
    const wire = { type: "agent_message", message: "m", phase: null, memory_citation: { n: 1 } };
    const parsed = parseEventMsg(wire);
    expect(JSON.stringify(serializeEventMsg(parsed))).toBe(JSON.stringify(wire));
  });

  it.each([
    ["null", null],
    ["an array", []],
    ["no type", { message: "m" }],
    ["a non-string message", { type: "agent_message", message: 1 }],
    ["an unknown phase", { type: "agent_message", message: "m", phase: "later" }],
    ["undo_completed without success", { type: "undo_completed", message: null }],
    [
      "item_completed with an untagged item",
      { type: "item_completed", thread_id: "t", turn_id: "u", item: {} },
    ],
    ["entered_review_mode without target", { type: "entered_review_mode" }],
    [
      "image_generation_end without result",
      { type: "image_generation_end", call_id: "c", status: "s" },
    ],
    ["non-string images", { type: "user_message", message: "m", images: [1] }],
    ["a fractional num_turns", { type: "thread_rolled_back", num_turns: 1.5 }],
    ["an object info that is an array", { type: "token_count", info: [] }],
  ])("rejects %s", (_n, wire) => {
    expect(() => parseEventMsg(wire)).toThrow(RolloutError);
  });
});

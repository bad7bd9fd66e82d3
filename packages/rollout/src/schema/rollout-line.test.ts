import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMPOSED_ITEMS } from "../../test/composed-items.js";
import { validateRolloutLine } from "../../test/schema.js";
import {
  formatRolloutTimestamp,
  parseRolloutLine,
  parseRolloutLineText,
  RolloutError,
  type RolloutItem,
  serializeRolloutLine,
} from "../index.js";

const SPEC_LINES = readFileSync(
  new URL("../../test/fixtures/spec-example.jsonl", import.meta.url),
  "utf8",
)
  .split("\n")
  .filter((l) => l !== "");

const TS = "2026-05-08T19:36:02.140Z";

function roundTrip(item: RolloutItem): { line: string; back: RolloutItem } {
  const line = serializeRolloutLine(TS, item);
  if (line === null) throw new Error("not persisted");
  const parsed = parseRolloutLineText(line.slice(0, -1));
  const { timestamp, ...back } = parsed;
  expect(timestamp).toBe(TS);
  return { line, back: back as RolloutItem };
}

describe("rollout line codec", () => {
  it("reads every line of the spec example and writes it back byte for byte", () => {
    expect(SPEC_LINES).toHaveLength(10);
    for (const text of SPEC_LINES) {
      const line = parseRolloutLineText(text);
      expect(serializeRolloutLine(line.timestamp, line)).toBe(`${text}\n`);
    }
  });

  it("round-trips one item of every variant to the same typed value", () => {
    for (const item of COMPOSED_ITEMS) {
      const { back } = roundTrip(item);
      expect(back).toEqual(item);
    }
  });

  it("writes lines that validate against the vendored RolloutLine.json", () => {
    for (const item of COMPOSED_ITEMS) {
      const { line } = roundTrip(item);
      const result = validateRolloutLine(JSON.parse(line));
      expect({ line, errors: result.errors }).toEqual({ line, errors: "" });
    }
    for (const text of SPEC_LINES) expect(validateRolloutLine(JSON.parse(text)).ok).toBe(true);
  });

  it("reads the vendored upstream response_item fixtures", () => {
    for (const name of ["rollout_copy_paste_local_image.json", "rollout_drag_drop_image.json"]) {
      const payload = JSON.parse(
        readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), "utf8"),
      );
      const line = parseRolloutLine({ timestamp: TS, type: "response_item", payload });
      expect(line.type).toBe("response_item");
      if (line.type !== "response_item" || line.payload.type !== "message")
        throw new Error("shape");
      expect(line.payload.content.some((c) => c.type === "input_image")).toBe(true);
      const written = serializeRolloutLine(TS, line);
      expect(JSON.parse(written ?? "null").payload).toEqual(payload);
      expect(validateRolloutLine(JSON.parse(written ?? "null")).ok).toBe(true);
    }
  });

  it("never writes ids except on message (0.169) and image_generation_call", () => {
    const line = serializeRolloutLine(TS, {
      type: "response_item",
      payload: { type: "function_call", id: "fc_1", name: "n", arguments: "{}", call_id: "c" },
    });
    expect(line).toBe(
      `{"timestamp":"${TS}","type":"response_item","payload":{"type":"function_call","name":"n","arguments":"{}","call_id":"c"}}\n`,
    );
    const parsed = parseRolloutLineText(
      '{"timestamp":"x","type":"response_item","payload":{"type":"reasoning","id":"rs_1","summary":[]}}',
    );
    expect(parsed.payload).toEqual({
      type: "reasoning",
      id: "rs_1",
      summary: [],
      content: null,
      encrypted_content: null,
    });
  });

  it("writes reasoning.content as null when absent, omits it without reasoning_text", () => {
    const base = { type: "reasoning" as const, summary: [], encrypted_content: null };
    const write = (content: null | { type: "text"; text: string }[]) =>
      JSON.parse(
        serializeRolloutLine(TS, { type: "response_item", payload: { ...base, content } }) ?? "",
      ).payload;
    expect(write(null)).toEqual({
      type: "reasoning",
      summary: [],
      content: null,
      encrypted_content: null,
    });
    expect("content" in write([{ type: "text", text: "t" }])).toBe(false);
  });

  it("writes null for absent nullable keys and omits absent optional keys", () => {
    const meta = COMPOSED_ITEMS[0] as Extract<RolloutItem, { type: "session_meta" }>;
    const minimal = {
      id: meta.payload.id,
      timestamp: meta.payload.timestamp,
      cwd: "/",
      originator: "o",
      cli_version: "1",
      source: "cli" as const,
      model_provider: null,
      base_instructions: null,
    };
    const written = serializeRolloutLine(TS, { type: "session_meta", payload: minimal });
    expect(JSON.parse(written ?? "").payload).toEqual({
      id: meta.payload.id,
      timestamp: meta.payload.timestamp,
      cwd: "/",
      originator: "o",
      cli_version: "1",
      source: "cli",
      model_provider: null,
      base_instructions: null,
    });
  });

  it("reads legacy and aliased forms", () => {
    const p = (s: string) => parseRolloutLineText(s);
    expect(
      p(
        '{"timestamp":"t","ordinal":7,"type":"event_msg","payload":{"type":"turn_started","turn_id":"a"}}',
      ).payload,
    ).toEqual({
      type: "task_started",
      turn_id: "a",
      model_context_window: null,
      collaboration_mode_kind: "default",
    });
    expect(
      p('{"timestamp":"t","type":"event_msg","payload":{"type":"turn_complete","turn_id":"a"}}')
        .payload,
    ).toEqual({
      type: "task_complete",
      turn_id: "a",
      last_agent_message: null,
    });
    expect(
      p(
        '{"timestamp":"t","type":"response_item","payload":{"type":"compaction_summary","encrypted_content":"e"}}',
      ).payload,
    ).toEqual({
      type: "compaction",
      encrypted_content: "e",
    });
    const meta = p(
      '{"timestamp":"t","type":"session_meta","payload":{"id":"i","timestamp":"t","cwd":"/","originator":"o","cli_version":"1","instructions":"old","agent_type":"worker"}}',
    );
    expect(meta.payload).toMatchObject({
      source: "vscode",
      agent_role: "worker",
      model_provider: null,
    });
    expect(
      p(
        '{"timestamp":"t","type":"session_meta","payload":{"id":"i","timestamp":"t","cwd":"/","originator":"o","cli_version":"1","source":"weird"}}',
      ).payload,
    ).toMatchObject({ source: "unknown" });
    expect(
      p(
        '{"timestamp":"t","type":"event_msg","payload":{"type":"user_message","message":"m","kind":"plain"}}',
      ).payload,
    ).toEqual({
      type: "user_message",
      message: "m",
      images: null,
      local_images: [],
      text_elements: [],
      // issue 12: a key this version does not know is kept (and written back).
      kind: "plain",
    });
  });

  it("keeps an unknown line type and an unknown event type as typed items (issue 12)", () => {
    const state = '{"timestamp":"t","type":"session_state","payload":{"a":1}}';
    const line = parseRolloutLineText(state);
    expect(line).toEqual({
      timestamp: "t",
      type: "unknown",
      original_type: "session_state",
      payload: { a: 1 },
    });
    expect(serializeRolloutLine("t", line)).toBe(`${state}\n`);
    const ev = '{"timestamp":"t","type":"event_msg","payload":{"type":"nope","x":[1]}}';
    const evLine = parseRolloutLineText(ev);
    expect(evLine.payload).toEqual({ type: "unknown", original_type: "nope", fields: { x: [1] } });
    expect(serializeRolloutLine("t", evLine)).toBe(`${ev}\n`);
  });

  it("reads an unknown response item as Other and never writes it", () => {
    const line = parseRolloutLineText(
      '{"timestamp":"t","type":"response_item","payload":{"type":"future_thing","x":1}}',
    );
    expect(line.payload).toEqual({ type: "other", original_type: "future_thing" });
    expect(serializeRolloutLine(TS, line)).toBeNull();
  });

  it.each([
    ["not json", "{"],
    ["not an object", "[1]"],
    ["no timestamp", '{"type":"compacted","payload":{"message":"m"}}'],
    ["a non-string type", '{"timestamp":"t","type":5,"payload":{}}'],
    [
      "a fractional ordinal",
      '{"timestamp":"t","ordinal":1.5,"type":"compacted","payload":{"message":"m"}}',
    ],
    [
      "a known event that breaks its shape",
      '{"timestamp":"t","type":"event_msg","payload":{"type":"task_started"}}',
    ],
    ["wrong field type", '{"timestamp":"t","type":"compacted","payload":{"message":5}}'],
    ["missing payload", '{"timestamp":"t","type":"turn_context"}'],
    [
      "bad content",
      '{"timestamp":"t","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"video"}]}}',
    ],
  ])("rejects %s with a typed error", (_name, text) => {
    try {
      parseRolloutLineText(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RolloutError);
      expect((e as RolloutError).code).toBe("invalid_line");
    }
  });

  it("formats timestamps with exactly three fraction digits in UTC", () => {
    expect(formatRolloutTimestamp(Date.UTC(2026, 4, 8, 19, 36, 2, 5))).toBe(
      "2026-05-08T19:36:02.005Z",
    );
    expect(() => formatRolloutTimestamp(Number.NaN)).toThrow(RolloutError);
  });
});

import { describe, expect, it } from "vitest";
import { RolloutError } from "../index.js";
import {
  compactedToResponseItem,
  parseCompactedItem,
  parseTurnContextItem,
  serializeCompactedItem,
  serializeTurnContextItem,
} from "./turn-context.js";

const base = {
  cwd: "/",
  approval_policy: "on-request",
  sandbox_policy: { type: "workspace-write", writable_roots: [] },
  model: "m",
  summary: "auto",
};

describe("TurnContextItem", () => {
  it("keeps known optional keys and unknown ones (issue 12), writes in upstream order", () => {
    const item = parseTurnContextItem({
      ...base,
      effort: "high",
      turn_id: "t",
      brand_new: 1,
      realtime_active: null,
    });
    expect(item.optional).toEqual({ turn_id: "t", effort: "high" });
    expect(Object.keys(serializeTurnContextItem(item))).toEqual([
      "turn_id",
      "cwd",
      "approval_policy",
      "sandbox_policy",
      "model",
      "effort",
      "summary",
      "brand_new",
    ]);
  });

  it("accepts a granular approval policy", () => {
    const item = parseTurnContextItem({
      ...base,
      approval_policy: { granular: { sandbox_approval: true } },
    });
    expect(serializeTurnContextItem(item).approval_policy).toEqual({
      granular: { sandbox_approval: true },
    });
  });

  it.each([
    ["a non-object", 1],
    ["no approval policy", { ...base, approval_policy: undefined }],
    ["a sandbox policy without type", { ...base, sandbox_policy: {} }],
    ["no model", { ...base, model: undefined }],
  ])("rejects %s", (_n, v) => {
    expect(() => parseTurnContextItem(v)).toThrow(RolloutError);
  });
});

describe("CompactedItem", () => {
  it("reads back as an assistant message and drops Other history entries on write", () => {
    const c = parseCompactedItem({
      message: "sum",
      replacement_history: [{ type: "message", role: "user", content: [] }, { type: "new_kind" }],
    });
    expect(compactedToResponseItem(c)).toEqual({
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "sum" }],
    });
    expect(serializeCompactedItem(c)).toEqual({
      message: "sum",
      replacement_history: [{ type: "message", role: "user", content: [] }],
    });
  });

  it("rejects a payload without a message", () => {
    expect(() => parseCompactedItem({})).toThrow(RolloutError);
    expect(() => parseCompactedItem(null)).toThrow(RolloutError);
  });
});

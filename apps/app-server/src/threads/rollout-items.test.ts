import { parseResponseItem, validateRolloutItem } from "@codex/rollout";
import { describe, expect, it } from "vitest";
import {
  agentMessageItems,
  historyInput,
  taskCompleteItem,
  taskStartedItem,
  turnAbortedItem,
  userMessageItems,
} from "./rollout-items.js";

describe("rollout items of a turn", () => {
  it("are valid rollout items", () => {
    for (const item of [
      taskStartedItem("t"),
      ...userMessageItems("hi"),
      ...agentMessageItems("msg_1", "hello"),
      ...agentMessageItems(undefined, "hello"),
      taskCompleteItem("t", "hello"),
      taskCompleteItem("t", null),
      turnAbortedItem("t"),
    ]) {
      expect(() => validateRolloutItem(item)).not.toThrow();
    }
  });

  it("history keeps clean user, assistant and developer messages only", () => {
    const history = [
      parseResponseItem({
        type: "message",
        id: "msg_1",
        role: "user",
        content: [{ type: "input_text", text: "a" }],
        internal_chat_message_metadata_passthrough: { turn_id: "x" },
      }),
      parseResponseItem({
        type: "message",
        role: "system",
        content: [{ type: "input_text", text: "s" }],
      }),
      parseResponseItem({
        type: "reasoning",
        id: "r",
        summary: [],
        content: null,
        encrypted_content: null,
      }),
      parseResponseItem({
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: "b", annotations: [] }],
      }),
    ];
    expect(historyInput(history)).toEqual([
      { type: "message", role: "user", content: [{ type: "input_text", text: "a" }] },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "b" }] },
    ]);
  });
});

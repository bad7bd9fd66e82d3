import type { RolloutItem } from "@codex/rollout";
import { describe, expect, it } from "vitest";
import { AgentMessageStream } from "./agent-message-stream.js";
import type { TurnNotification } from "./thread-items.js";

function stream() {
  const notifications: TurnNotification[] = [];
  const recorded: RolloutItem[] = [];
  let t = 1_000;
  const messages = new AgentMessageStream({
    threadId: "t",
    turnId: "u",
    nowMs: () => t++,
    emit: (n) => notifications.push(n),
    record: async (items) => {
      recorded.push(...items);
    },
  });
  return { messages, notifications, recorded };
}

const message = (id: string, text?: string) => ({
  type: "message",
  id,
  role: "assistant",
  content: text === undefined ? [] : [{ type: "output_text", text }],
});

describe("AgentMessageStream", () => {
  it("streams an announced message: started, one delta per delta, completed with the text", async () => {
    const { messages, notifications, recorded } = stream();
    await messages.handle({ type: "output_item_added", item: message("m") });
    await messages.handle({ type: "output_text_delta", delta: "hel" });
    await messages.handle({ type: "output_text_delta", delta: "lo" });
    await messages.handle({ type: "output_item_done", item: message("m") });
    expect(notifications.map((n) => n.method)).toEqual([
      "item/started",
      "item/agentMessage/delta",
      "item/agentMessage/delta",
      "item/completed",
    ]);
    expect(messages.lastText()).toBe("hello");
    expect(messages.items).toMatchObject([{ id: "m", text: "hello", startedAtMs: 1_000 }]);
    expect(messages.replies).toEqual([
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "hello" }] },
    ]);
    expect(recorded.map((i) => i.type)).toEqual(["response_item", "event_msg"]);
  });

  it("after a reset, deltas of the dropped message are not sent", async () => {
    const { messages, notifications } = stream();
    await messages.handle({ type: "output_item_added", item: message("m") });
    messages.reset();
    await messages.handle({ type: "output_text_delta", delta: "lost" });
    await messages.handle({ type: "output_item_done", item: message("m", "whole") });
    expect(notifications.map((n) => n.method)).toEqual([
      "item/started",
      "item/started",
      "item/completed",
    ]);
    expect(messages.lastText()).toBe("whole");
  });

  it("ignores items that are not assistant messages", async () => {
    const { messages, notifications } = stream();
    await messages.handle({ type: "output_item_added", item: { type: "reasoning", id: "r" } });
    await messages.handle({ type: "output_item_done", item: { type: "reasoning", id: "r" } });
    await messages.handle({ type: "created" });
    expect(notifications).toEqual([]);
    expect(messages.lastText()).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import {
  agentMessageItem,
  inProgressTurn,
  isAssistantMessage,
  messageText,
} from "./thread-items.js";

describe("thread items", () => {
  it("builds 0.169's in-progress turn and agent message", () => {
    expect(inProgressTurn("t")).toEqual({
      id: "t",
      rootTurnId: "t",
      items: [],
      itemsView: "notLoaded",
      status: "inProgress",
      error: null,
      startedAt: null,
      completedAt: null,
      durationMs: null,
    });
    expect(Object.keys(agentMessageItem("m", "", 1))).toEqual([
      "type",
      "moderation",
      "id",
      "text",
      "phase",
      "memoryCitation",
      "delivery",
      "questions",
      "startedAtMs",
      "completedAtMs",
    ]);
  });

  it("reads the output text of an assistant message", () => {
    const item = {
      type: "message",
      role: "assistant",
      content: [
        { type: "output_text", text: "a" },
        { type: "refusal", refusal: "x" },
        { type: "output_text", text: "b" },
      ],
    };
    expect(isAssistantMessage(item)).toBe(true);
    expect(messageText(item)).toBe("ab");
    expect(isAssistantMessage({ type: "reasoning" })).toBe(false);
    expect(messageText({ type: "message" })).toBe("");
  });
});

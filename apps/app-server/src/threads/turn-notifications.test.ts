import { describe, expect, it } from "vitest";
import { agentMessageItem } from "./thread-items.js";
import {
  startedTurn,
  turnCompletedNotification,
  userMessageNotifications,
} from "./turn-notifications.js";

describe("turn notifications", () => {
  it("starts a turn in progress with its start second", () => {
    expect(startedTurn("u", 5_500)).toEqual({
      id: "u",
      rootTurnId: "u",
      items: [],
      itemsView: "notLoaded",
      status: "inProgress",
      error: null,
      startedAt: 5,
      completedAt: null,
      durationMs: null,
    });
  });

  it("announces and completes the user message with one item id", () => {
    const content = [{ type: "text" as const, text: "hi", text_elements: [] }];
    const [started, completed] = userMessageNotifications("t", "u", content, 1_000, 1_002);
    expect(started).toMatchObject({
      method: "item/started",
      params: { item: { type: "userMessage", content, completedAtMs: null }, startedAtMs: 1_000 },
    });
    expect(completed).toMatchObject({
      method: "item/completed",
      params: { item: { completedAtMs: 1_002 }, contentTokenCount: null, completedAtMs: 1_002 },
    });
    const id = (n: typeof started) => (n?.params as { item: { id: string } } | undefined)?.item.id;
    expect(id(started)).toBe(id(completed));
  });

  it("summarises a completed turn's items only", () => {
    const items = [agentMessageItem("m", "hello", 1_000)];
    const done = turnCompletedNotification(
      "t",
      startedTurn("u", 1_000),
      "completed",
      items,
      null,
      1_000,
      3_500,
    );
    expect(done.params).toMatchObject({
      threadId: "t",
      turn: { items, itemsView: "summary", status: "completed", completedAt: 3, durationMs: 2_500 },
    });
    const error = {
      message: "x",
      codexErrorInfo: "other" as const,
      additionalDetails: null,
      misalignment: null,
    };
    const failed = turnCompletedNotification(
      "t",
      startedTurn("u", 1_000),
      "failed",
      items,
      error,
      1_000,
      900,
    );
    expect(failed.params).toMatchObject({
      turn: { items: [], itemsView: "notLoaded", status: "failed", error, durationMs: 0 },
    });
  });
});
